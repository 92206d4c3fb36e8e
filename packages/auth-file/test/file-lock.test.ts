import { readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthFileLockTimeoutError, parseAuthFile, withFileLock } from '@ecr-auth/auth-file';
import { runNodeScript } from '../../../test-support/real-tools/node-child.js';
import { tempDirs } from '../../../test-support/real-tools/fixtures.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

describe('withFileLock', () => {
  it('serializes concurrent tasks of one process', async () => {
    const root = await dirs.make();
    const lock = join(root, 'f.lock');
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withFileLock(lock, 'f', async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setTimeout(r, 2));
          inside--;
        }),
      ),
    );
    expect(maxInside).toBe(1);
    expect(await readdir(root)).toEqual([]);
  });

  it('times out with a typed error while a live writer holds the lock', async () => {
    const root = await dirs.make();
    const lock = join(root, 'f.lock');
    // Held by a live process (this one's parent: alive and not us).
    await writeFile(lock, JSON.stringify({ pid: process.ppid, host: hostname(), nonce: 'n' }));
    const started = Date.now();
    const error = await withFileLock(lock, '/x/auth.json', async () => 'never', { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileLockTimeoutError);
    expect((error as AuthFileLockTimeoutError).code).toBe('ECR_AUTH_FILE_LOCK_TIMEOUT');
    expect((error as Error).message).toContain('/x/auth.json');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await readFile(lock, 'utf8')).toContain('"nonce":"n"'); // not broken
  });

  it('breaks at once a lock whose writer process is gone', async () => {
    const root = await dirs.make();
    const lock = join(root, 'f.lock');
    const dead = await runNodeScript(fileURLToPath(new URL('./fixtures/print-pid.ts', import.meta.url)));
    await writeFile(lock, JSON.stringify({ pid: Number(dead.stdout), host: hostname(), nonce: 'dead' }));
    const started = Date.now();
    expect(await withFileLock(lock, 'f', async () => 'got it', { timeoutMs: 5_000 })).toBe('got it');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await readdir(root)).toEqual([]);
  });

  it('breaks a lock older than staleMs, even of an unknown writer', async () => {
    const root = await dirs.make();
    const lock = join(root, 'f.lock');
    await writeFile(lock, 'garbage');
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    expect(await withFileLock(lock, 'f', async () => 'got it', { timeoutMs: 2_000, staleMs: 30_000 })).toBe('got it');
  });

  it('does not break a fresh lock of an unknown writer (negative control)', async () => {
    const root = await dirs.make();
    const lock = join(root, 'f.lock');
    await writeFile(lock, 'garbage');
    await expect(withFileLock(lock, 'f', async () => 'got it', { timeoutMs: 200, staleMs: 30_000 })).rejects.toBeInstanceOf(AuthFileLockTimeoutError);
  });
});

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
