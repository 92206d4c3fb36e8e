// 50 separate processes add an entry to one file at once: the cross-process lock and the atomic replacement
// together. Every writer is a child process, so mutation testing leaves this file out (stryker/packages.mjs).
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAuthFile } from '@ecr-auth/auth-file';
import { runNodeScript } from '../../../test-support/real-tools/node-child.js';
import { tempDirs } from '../../../test-support/real-tools/fixtures.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

describe('50 processes writing one file at once', () => {
  it('ends with all 50 entries and valid JSON', { timeout: 120_000 }, async () => {
    const root = await dirs.make();
    const path = join(root, 'containers', 'auth.json');
    await writeFile(join(root, 'seed'), '');
    const script = fileURLToPath(new URL('./fixtures/add-registry.ts', import.meta.url));
    // Warm the transpile cache once, so that the 50 start together instead of each loading the compiler.
    await runNodeScript(script, [join(root, 'warm.json'), 'warm.example']);
    const hosts = Array.from({ length: 50 }, (_, i) => `registry-${i}.example:5000`);
    const outcomes = await Promise.all(hosts.map((host) => runNodeScript(script, [path, host, `pw-${host}`], { timeoutMs: 90_000 })));
    for (const outcome of outcomes) expect(outcome.stdout).toContain('"ok":true');
    expect(outcomes.filter((o) => o.stdout.includes('"created":true'))).toHaveLength(1);
    const { document } = parseAuthFile(await readFile(path, 'utf8'), path);
    expect(Object.keys(document.auths ?? {}).sort()).toEqual([...hosts].sort());
    for (const host of hosts) expect(document.auths?.[host]?.auth).toBe(Buffer.from(`AWS:pw-${host}`).toString('base64'));
    expect(await readdir(join(root, 'containers'))).toEqual(['auth.json']);
  });
});
