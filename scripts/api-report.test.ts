// The API report check fails on a changed public surface and passes on the committed one.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../test-support/process.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const script = join(root, 'scripts', 'api-report.mjs');

describe('scripts/api-report.mjs --check', () => {
  it('passes on the committed reports and fails, naming the package, when one differs', async () => {
    const ok = await runProcess(process.execPath, [script, '--check'], { cwd: root });
    expect(ok.status, ok.stderr).toBe(0);
    const copy = await mkdtemp(join(tmpdir(), 'ecr-auth-api-'));
    try {
      await cp(join(root, 'api-reports'), copy, { recursive: true });
      const file = join(copy, 'cli.api.md');
      await writeFile(file, (await readFile(file, 'utf8')).replace('export declare function main', 'export declare function mainRenamed'));
      const changed = await runProcess(process.execPath, [script, '--check', '--reports', copy], { cwd: root });
      expect(changed.status).toBe(1);
      expect(changed.stderr).toMatch(/The public API changed for: @ecr-auth\/cli/);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});
