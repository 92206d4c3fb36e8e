import { readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthFileLockTimeoutError, withFileLock } from '@ecr-auth/auth-file';
import { runNodeScript } from '../../../test-support/real-tools/node-child.js';
import { tempDirs } from '../../../test-support/real-tools/fixtures.js';
import { spawnNodeChild } from './spawn-child.js';

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
    // Changed with the one lock rule: a legacy record ({pid, host} only) no longer proves its owner dead, so
    // the lock is left by a real writer killed with SIGKILL.
    const root = await dirs.make();
    const lock = join(root, 'f.lock');
    const crashed = spawnNodeChild(fileURLToPath(new URL('./fixtures/lock-child.ts', import.meta.url)), [lock, 'crash']);
    await crashed.exited;
    expect(await readFile(lock, 'utf8')).toContain(`"host":"${hostname()}"`);
    expect(await withFileLock(lock, 'f', async () => 'got it', { timeoutMs: 60_000 })).toBe('got it');
    expect(await readdir(root)).toEqual([]);
  });

  it('does not break at once a legacy lock ({pid, host}) of a gone pid: it proves nothing across PID namespaces (control)', async () => {
    const root = await dirs.make();
    const lock = join(root, 'f.lock');
    const dead = await runNodeScript(fileURLToPath(new URL('./fixtures/print-pid.ts', import.meta.url)));
    await writeFile(lock, JSON.stringify({ pid: Number(dead.stdout), host: hostname(), nonce: 'dead' }));
    await expect(withFileLock(lock, 'f', async () => 'got it', { timeoutMs: 200 })).rejects.toBeInstanceOf(AuthFileLockTimeoutError);
  });

  it('an abort ends the wait for a held lock at once with the abort reason; nothing runs (and without abort it times out: control)', async () => {
    const root = await dirs.make();
    const lock = join(root, 'f.lock');
    await writeFile(lock, JSON.stringify({ pid: process.ppid, host: hostname(), nonce: 'n' }));
    const controller = new AbortController();
    const reason = new Error('interrupted');
    let ran = 0;
    const waiting = withFileLock(lock, 'f', async () => ran++, { timeoutMs: 600_000, signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    await expect(waiting).rejects.toBe(reason);
    // Already aborted: rejected before touching anything.
    await expect(withFileLock(join(root, 'free.lock'), 'f', async () => ran++, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(ran).toBe(0);
    expect(await readdir(root)).toEqual(['f.lock']);
    await expect(withFileLock(lock, 'f', async () => ran++, { timeoutMs: 100, signal: controller.signal })).rejects.toBe(reason);
    await expect(withFileLock(lock, 'f', async () => ran++, { timeoutMs: 100 })).rejects.toBeInstanceOf(AuthFileLockTimeoutError);
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
