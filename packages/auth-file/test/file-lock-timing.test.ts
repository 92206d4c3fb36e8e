// withFileLock's waiting, on fake timers so that it is exact and fast: the backoff schedule, the deadline, and an
// abort at any moment (during a pause, or between two attempts). Attempts are counted through the link seam of
// lock-file.ts (each attempt starts with one link).
import { getEventListeners } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthFileAccessError, AuthFileLockTimeoutError, AuthFileNotRegularError, type LockHandle, tryAcquireLock, withFileLock } from '@ecr-auth/auth-file';
import { lockSeams } from '../src/lock-file.js';

const originalLink = lockSeams.link;
let dir: string;
let held: string;
let holder: LockHandle | undefined;
let attempts: number[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecr-auth-lock-timing-'));
  held = join(dir, 'f.lock');
  holder = tryAcquireLock(held); // ours, alive: held for as long as the test wants
  attempts = [];
  lockSeams.link = (existing, path) => {
    attempts.push(Date.now());
    originalLink(existing, path);
  };
});
afterEach(() => {
  lockSeams.link = originalLink;
  vi.useRealTimers();
  vi.restoreAllMocks();
  holder?.release();
  rmSync(dir, { recursive: true, force: true });
});

/** The outcome of a promise so far, without awaiting it. */
function watch<T>(promise: Promise<T>): { state: 'pending' | 'resolved' | 'rejected'; value?: unknown } {
  const seen: { state: 'pending' | 'resolved' | 'rejected'; value?: unknown } = { state: 'pending' };
  promise.then(
    (value) => Object.assign(seen, { state: 'resolved', value }),
    (value: unknown) => Object.assign(seen, { state: 'rejected', value }),
  );
  return seen;
}

describe('withFileLock waits with a bounded backoff', () => {
  it('5 ms doubling up to 100 ms, each pause 1 to 2 steps long (here 1.5), the last one cut at the deadline', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const started = Date.now();
    const outcome = watch(withFileLock(held, 'auth.json', async () => 'never', { timeoutMs: 1_000 }));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(outcome.state).toBe('rejected');
    expect(outcome.value).toBeInstanceOf(AuthFileLockTimeoutError);
    expect((outcome.value as AuthFileLockTimeoutError).waitedMs).toBe(1_000);
    const pauses = attempts.slice(1).map((at, i) => at - (attempts[i] ?? 0));
    expect(attempts[0]).toBe(started);
    // 1.5 × 5, 10, 20, 40, 80, then 100 ms steps; the fake clock counts whole milliseconds (7.5 waits 7).
    expect(pauses).toEqual([7, 15, 30, 60, 120, 150, 150, 150, 150, 150, 18]);
  });

  it('a zero timeout tries exactly once', async () => {
    const outcome = watch(withFileLock(held, 'auth.json', async () => 'got it', { timeoutMs: 0 }));
    holder?.release(); // free right after the first attempt: a second one would get it
    await vi.waitFor(() => expect(outcome.state).not.toBe('pending'));
    expect(outcome.value).toBeInstanceOf(AuthFileLockTimeoutError);
    expect(attempts).toHaveLength(1);
    // Control: with time to try again, it gets the lock.
    expect(await withFileLock(held, 'auth.json', async () => 'got it', { timeoutMs: 1_000 })).toBe('got it');
  });
});

describe('an abort ends the wait at once', () => {
  it('during a pause: rejected with the reason before the pause ends, and the listener removed', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const reason = new Error('stop');
    const outcome = watch(withFileLock(held, 'auth.json', async () => 'never', { timeoutMs: 60_000, signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(1); // inside the first pause (5 to 10 ms)
    expect(outcome.state).toBe('pending');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome).toEqual({ state: 'rejected', value: reason });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('between two attempts (after a pause ended, before the next began)', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const reason = new Error('stop');
    const outcome = watch(withFileLock(held, 'auth.json', async () => 'never', { timeoutMs: 60_000, signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(1);
    vi.advanceTimersToNextTimer(); // the pause ends; the next attempt has not run yet
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts).toHaveLength(2);
    expect(outcome).toEqual({ state: 'rejected', value: reason });
  });

  it('control: a wait that ends with the lock leaves no listener on the signal', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const outcome = watch(withFileLock(held, 'auth.json', async () => 'got it', { timeoutMs: 60_000, signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(1);
    holder?.release();
    await vi.advanceTimersByTimeAsync(200);
    expect(outcome).toEqual({ state: 'resolved', value: 'got it' });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('a lock that cannot be created', () => {
  it('a missing folder is an access error naming the lock; a directory at the lock path is "not a lock file"', async () => {
    const missing = join(dir, 'missing', 'f.lock');
    const error = await withFileLock(missing, 'auth.json', async () => 'never').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileAccessError);
    expect((error as Error).message).toContain(`cannot create the lock file ${missing}`);
    mkdirSync(join(dir, 'd.lock'));
    const refused = await withFileLock(join(dir, 'd.lock'), 'auth.json', async () => 'never').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuthFileNotRegularError);
    expect(refused).toMatchObject({ kind: 'directory' });
    expect((refused as Error).message).toContain('the lock path is a directory, not a lock file');
  });
});
