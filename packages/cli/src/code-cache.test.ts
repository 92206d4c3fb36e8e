import { execFileSync } from 'node:child_process';
import { chown, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// The built module (the test setup builds the packages): a child Node 20 cannot load TypeScript.
const codeCacheModule = fileURLToPath(new URL('../dist/code-cache.js', import.meta.url));

describe('requireWithCodeCache', () => {
  let root: string;
  let bundle: string;
  let cache: string;
  const run = () =>
    execFileSync(process.execPath, ['--input-type=module', '-e', `import { requireWithCodeCache } from ${JSON.stringify(codeCacheModule)}; requireWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(cache)});`], { encoding: 'utf8' });
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ecr-auth-code-cache-'));
    bundle = join(root, 'bundle.cjs');
    cache = join(root, 'cache');
    await writeFile(bundle, '#!/usr/bin/env node\nconst path = require("node:path");\nfunction twice(x) { return x * 2; }\nconsole.log(JSON.stringify({ value: twice(21), file: path.basename(__filename), main: typeof module.exports }));\n');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('runs the file as CommonJS (require, __filename, module), with or without a cache', () => {
    expect(JSON.parse(run())).toEqual({ value: 42, file: 'bundle.cjs', main: 'object' });
    expect(JSON.parse(run())).toEqual({ value: 42, file: 'bundle.cjs', main: 'object' });
  });

  it('writes a private cache at the first run and reuses it; a corrupt or foreign cache is not used but replaced', async () => {
    run();
    const folder = join(cache, 'v8');
    const [name] = await readdir(folder);
    expect(name).toMatch(new RegExp(`^${process.version.replaceAll('.', '\\.')}-.*\\.bin$`));
    expect((await stat(join(folder, name ?? ''))).mode & 0o777).toBe(0o600);
    const first = (await stat(join(folder, name ?? ''))).mtimeMs;
    run();
    // Accepted by V8: not written again.
    expect((await stat(join(folder, name ?? ''))).mtimeMs).toBe(first);
    // Negative controls: garbage is refused by V8 and replaced; a file of another user is ignored and kept.
    await writeFile(join(folder, name ?? ''), 'not a code cache', { mode: 0o600 });
    expect(JSON.parse(run())).toMatchObject({ value: 42 });
    expect((await stat(join(folder, name ?? ''))).size).toBeGreaterThan(100);
    if (process.getuid?.() === 0) {
      await chown(join(folder, name ?? ''), 65534, 65534);
      expect(JSON.parse(run())).toMatchObject({ value: 42 });
      // Not trusted, so not used: replaced by one of ours (an accepted cache is never rewritten, see above).
      expect((await stat(join(folder, name ?? ''))).uid).toBe(0);
    }
  });
});
