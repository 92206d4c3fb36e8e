// Vitest global setup: builds every package (incremental, fast when up to date), because some tests run
// the built executables and dist entry points in child processes, as users do.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function build(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], { stdio: 'inherit' });
}
