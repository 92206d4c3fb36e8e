import { AuthFileAccessError, AuthFileLockTimeoutError, AuthFileNotRegularError, type PathKind, describePathKind, errnoCode } from './errors.js';
import { type LockHandle, tryAcquireLock } from './lock-file.js';

/**
 * Options of {@link withFileLock}.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * process.once('SIGINT', () => controller.abort());
 * await withFileLock(`${path}.lock`, path, task, { timeoutMs: 5_000, signal: controller.signal });
 * ```
 */
export interface FileLockOptions {
  /**
   * How long to wait for the lock before failing, in milliseconds.
   *
   * @defaultValue `10_000` (10 s)
   */
  timeoutMs?: number;
  /**
   * A lock whose owner cannot be proven dead (another host or PID namespace) is broken once older than this, in
   * milliseconds. A lock whose owner provably died (same host, boot and PID namespace) is
   * broken at once. See `tryAcquireLock`.
   *
   * @defaultValue `30_000` (30 s)
   */
  staleMs?: number;
  /** Ends the wait at once, rejecting with `signal.reason`; nothing is written. */
  signal?: AbortSignal | undefined;
}

/** Waits `ms`, or rejects with the abort reason as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      // Stryker disable next-line OptionalChaining: onAbort only runs as a listener of signal, so signal is there
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function takeOnce(lockPath: string, staleMs: number): LockHandle | undefined {
  try {
    return tryAcquireLock(lockPath, { staleMs });
  } catch (error) {
    if (errnoCode(error) === 'EFTYPE') {
      const { kind } = error as { kind: PathKind }; // tryAcquireLock's EFTYPE always names the kind
      throw new AuthFileNotRegularError(lockPath, kind, `the lock path is ${describePathKind(kind)}, not a lock file`);
    }
    throw new AuthFileAccessError(lockPath, 'create the lock file', error);
  }
}

/**
 * Runs `task` while holding an exclusive lock shared by every process: `lockPath`, taken with `tryAcquireLock`
 * (an owner record hard-linked into place, so never empty). Waits a bounded time with backoff; a lock whose owner
 * provably died is broken at once, one that is merely old after `staleMs`. An abort of `signal` ends the wait at
 * once. The lock is released after `task`, only if it is still ours.
 *
 * @example
 * ```ts
 * await withFileLock(`${path}.lock`, path, async () => rewrite(path), { signal: AbortSignal.timeout(5_000) });
 * ```
 *
 * @param lockPath - the lock file.
 * @param forPath - the file being protected, for error messages.
 * @param task - the work to do under the lock.
 * @param options - see {@link FileLockOptions}.
 * @returns what `task` returns.
 * @throws AuthFileLockTimeoutError when the lock stays held; AuthFileAccessError when it cannot be created;
 *   `signal.reason` when aborted.
 */
export async function withFileLock<T>(lockPath: string, forPath: string, task: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const { signal } = options;
  signal?.throwIfAborted();
  const started = Date.now();
  let delay = 5;
  let lock: LockHandle | undefined;
  while ((lock = takeOnce(lockPath, staleMs)) === undefined) {
    const waited = Date.now() - started;
    if (waited >= timeoutMs) throw new AuthFileLockTimeoutError(forPath, lockPath, waited);
    await pause(Math.min(delay + Math.random() * delay, timeoutMs - waited), signal);
    delay = Math.min(delay * 2, 100);
  }
  try {
    return await task();
  } finally {
    lock.release();
  }
}
