// Vitest global setup: builds every package (incremental, fast when up to date), because some tests run
// the built executables and dist entry points in child processes, as users do.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function build(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const projects = readdirSync(`${root}/packages`).map((name) => `packages/${name}/tsconfig.json`);
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-b', ...projects], { cwd: root, stdio: 'inherit' });
}
