#!/usr/bin/env node
// Builds every package: TypeScript project references (incremental), then the bundled entry points
// (scripts/bundle.mjs). The one build used by `pnpm build`, the test set-up and the benchmarks.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const projects = readdirSync(`${root}packages`).map((name) => `packages/${name}/tsconfig.json`);
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-b', ...projects], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, [`${root}scripts/bundle.mjs`], { cwd: root, stdio: 'inherit' });
