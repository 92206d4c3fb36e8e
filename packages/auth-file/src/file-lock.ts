import { randomBytes } from 'node:crypto';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuthFileAccessError, AuthFileLockTimeoutError, errnoCode } from './errors.js';

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /** How long to wait for the lock before failing, in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /**
   * A lock older than this is taken to be left by a crashed writer and is broken, in milliseconds. Default
   * 30 000. A lock whose writer ran on this host and no longer exists is broken at once.
   */
  staleMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && 'pid' in value && 'host' in value && typeof value.pid === 'number' && typeof value.host === 'string') {
      return { pid: value.pid, host: value.host, nonce: 'nonce' in value && typeof value.nonce === 'string' ? value.nonce : '' };
    }
  } catch {
    // Written a moment ago and not yet filled in, or foreign: judged by age alone.
  }
  return undefined;
}

function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return errnoCode(error) === 'ESRCH';
  }
}

/** Creates `path` exclusively (O_EXCL) with `content`. Returns false when it already exists. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

async function isStale(lockPath: string, text: string, staleMs: number): Promise<boolean> {
  const owner = parseOwner(text);
  if (owner && owner.host === hostname() && owner.pid !== process.pid && processIsGone(owner.pid)) return true;
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs > staleMs;
  } catch {
    return false;
  }
}

/**
 * Breaks a stale lock. A second, short-lived lock (`.break`) makes the check-and-delete atomic among waiters, so
 * that a waiter never deletes a lock that another waiter has just taken.
 */
async function breakStaleLock(lockPath: string, seen: string): Promise<void> {
  const breakPath = `${lockPath}.break`;
  if (!(await createExclusive(breakPath, String(process.pid)))) {
    // Another waiter is breaking it; a `.break` older than a few seconds was left by a crash.
    try {
      if (Date.now() - (await stat(breakPath)).mtimeMs > 5_000) await unlink(breakPath);
    } catch {
      // Gone already.
    }
    return;
  }
  try {
    const now = await readFile(lockPath, 'utf8').catch(() => undefined);
    if (now === seen) await unlink(lockPath).catch(() => undefined);
  } finally {
    await unlink(breakPath).catch(() => undefined);
  }
}

/**
 * Runs `task` while holding an exclusive lock shared by every process: a lock file created with O_EXCL beside
 * the auth file. Waits a bounded time; breaks a lock left by a crashed writer (its process is gone, or it is
 * older than `staleMs`).
 *
 * Written here rather than taken from `proper-lockfile`: our critical section lasts milliseconds, so it needs no
 * mtime refresh timer, and the dead-process check breaks a crashed writer's lock at once instead of after a
 * staleness delay.
 *
 * @example
 * ```ts
 * await withFileLock(`${path}.lock`, path, async () => rewrite(path));
 * ```
 *
 * @param lockPath - the lock file.
 * @param forPath - the file being protected, for error messages.
 * @param task - the work to do under the lock.
 * @param options - see {@link FileLockOptions}.
 * @returns what `task` returns.
 * @throws AuthFileLockTimeoutError when the lock stays held; AuthFileAccessError when it cannot be created.
 */
export async function withFileLock<T>(lockPath: string, forPath: string, task: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const content = JSON.stringify({ pid: process.pid, host: hostname(), nonce: randomBytes(8).toString('hex'), at: new Date().toISOString() });
  const started = Date.now();
  let delay = 5;
  for (;;) {
    let acquired: boolean;
    try {
      acquired = await createExclusive(lockPath, content);
    } catch (error) {
      throw new AuthFileAccessError(lockPath, 'create the lock file', error);
    }
    if (acquired) break;
    const seen = await readFile(lockPath, 'utf8').catch(() => undefined);
    if (seen !== undefined && (await isStale(lockPath, seen, staleMs))) {
      await breakStaleLock(lockPath, seen);
      continue;
    }
    const waited = Date.now() - started;
    if (waited >= timeoutMs) throw new AuthFileLockTimeoutError(forPath, lockPath, waited);
    await sleep(Math.min(delay + Math.random() * delay, timeoutMs - waited));
    delay = Math.min(delay * 2, 100);
  }
  try {
    return await task();
  } finally {
    // Only remove the lock if it is still ours (a writer stalled past staleMs may have lost it).
    const now = await readFile(lockPath, 'utf8').catch(() => undefined);
    if (now === content) await unlink(lockPath).catch(() => undefined);
  }
}
