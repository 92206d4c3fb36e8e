#!/usr/bin/env node
// Checks every publishable package the way a consumer's tools will see it: publint (package.json, exports,
// files) and @arethetypeswrong/cli (types resolve under node16 ESM and bundlers). Needs a build first.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => `${root}node_modules/.bin/${name}`;
let failed = false;
for (const name of readdirSync(`${root}packages`)) {
  const dir = `${root}packages/${name}`;
  for (const [tool, args] of [
    ['publint', ['--strict']],
    // CommonJS consumers cannot require an ESM-only package on Node 20; ESM and bundlers are what we support.
    ['attw', ['--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped']],
  ]) {
    try {
      execFileSync(bin(tool), args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      console.log(`ok   ${tool} ${name}`);
    } catch (error) {
      failed = true;
      console.error(`FAIL ${tool} ${name}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
}
process.exit(failed ? 1 : 0);
