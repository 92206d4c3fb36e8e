#!/usr/bin/env node
// Runs the pinned pnpm whether or not pnpm is installed globally, so that the README's commands work on
// a machine that has only Node and npm (corepack is not used: it cannot verify signatures everywhere).
import { spawnSync } from 'node:child_process';

export const PNPM_VERSION = '12.21.0';

const onWindows = process.platform === 'win32';
const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: onWindows });
const useGlobal = probe.status === 0 && probe.stdout.trim() === PNPM_VERSION;
const args = process.argv.slice(2);
const [command, commandArgs] = useGlobal ? ['pnpm', args] : ['npx', ['-y', `pnpm@${PNPM_VERSION}`, ...args]];
const run = spawnSync(command, commandArgs, { stdio: 'inherit', shell: onWindows });
process.exit(run.status ?? 1);
