// The examples under Bun and Deno, from `npm test` when the pinned runtimes are already in the cache folder
// (CI's `.ci/run` installs them and runs scripts/test-runtimes.mjs itself, whatever happens here). Without
// them this test says why it skips and how to install them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../test-support/process.ts';

interface RuntimesScript {
  RUNTIMES: Record<'bun' | 'deno', string>;
  runtimesDir(): string;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const script = join(root, 'scripts', 'test-runtimes.mjs');
const { RUNTIMES, runtimesDir } = (await import(pathToFileURL(script).href)) as RuntimesScript;
const missing = (Object.keys(RUNTIMES) as (keyof typeof RUNTIMES)[]).filter(
  (name) => !existsSync(join(runtimesDir(), `${name}@${RUNTIMES[name]}`, 'node_modules', '.bin', name)),
);
const reason = `skipped: ${missing.map((name) => `${name}@${RUNTIMES[name]}`).join(' and ')} not in ${runtimesDir()}; run \`node scripts/test-runtimes.mjs\` once to install them (CI does)`;

if (missing.length > 0) console.log(`examples/runtimes.test.ts ${reason}`);

describe.skipIf(missing.length > 0)(missing.length > 0 ? `examples under Bun and Deno (${reason})` : 'examples under Bun and Deno', () => {
  it('run against the emulator, each with its wrong-credentials negative control', { timeout: 180_000 }, async () => {
    const result = await runProcess(process.execPath, [script, '--runtime', 'bun', '--runtime', 'deno'], { cwd: root, timeoutMs: 170_000 });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/runtimes: \d+ passed, 0 failed/);
    expect(result.stdout).toContain('ok   bun (tarballs): embed-get-token.mjs gets a private token');
    expect(result.stdout).toContain('ok   deno (tarballs): negative control: lambda-handler.cjs with a wrong secret exits 1 with ECR_AUTH_INVALID_CREDENTIALS');
  });
});
