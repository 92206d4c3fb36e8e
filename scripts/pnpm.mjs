#!/usr/bin/env node
// Runs the pinned pnpm (package.json "packageManager") whether or not pnpm is installed globally,
// so that the README's commands work on a machine that has only Node and npm.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const { packageManager } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const wanted = packageManager.replace(/\+.*$/, '');
const version = wanted.split('@')[1];

function globalPnpmMatches() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
  return probe.status === 0 && probe.stdout.trim() === version;
}

const args = process.argv.slice(2);
const [command, commandArgs] = globalPnpmMatches() ? ['pnpm', args] : ['npx', ['-y', wanted, ...args]];
const run = spawnSync(command, commandArgs, { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(run.status ?? 1);
