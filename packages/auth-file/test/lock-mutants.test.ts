// Lock decisions that mutation testing showed unobserved (docs/quality.md): release() removes only a lock
// that is still ours; an owner is judged dead only on the same host, boot and PID namespace with its pid gone
// or reused; an unreadable record is judged by age alone. Real files in a temporary folder.
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inspectLock, redactSecrets, tryAcquireLock } from '@ecr-auth/auth-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecr-auth-lock-mutants-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** This process's own owner record, as tryAcquireLock writes it. */
function myRecord(): Record<string, unknown> {
  const probe = join(dir, 'probe.lock');
  const lock = tryAcquireLock(probe);
  if (!lock) throw new Error('could not take a fresh lock');
  const record = JSON.parse(readFileSync(probe, 'utf8')) as Record<string, unknown>;
  lock.release();
  return record;
}
/** A pid that was just used and is free now (a child that has exited). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}
function lockWith(record: unknown, ageMs = 0): string {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.lock`);
  writeFileSync(path, typeof record === 'string' ? record : JSON.stringify(record));
  if (ageMs > 0) {
    const then = (Date.now() - ageMs) / 1000;
    utimesSync(path, then, then);
  }
  return path;
}

describe('release()', () => {
  it('removes the lock only while it is still ours', () => {
    const path = join(dir, 'auth.lock');
    const first = tryAcquireLock(path);
    expect(first).toBeDefined();
    // Someone broke it (say we stalled past staleMs) and took it: their record is there now.
    const theirs = JSON.stringify({ ...myRecord(), pid: 1, nonce: 'someone-else' });
    rmSync(path);
    writeFileSync(path, theirs);
    first?.release();
    expect(readFileSync(path, 'utf8')).toBe(theirs);
    // Negative control: our own lock is removed.
    rmSync(path);
    const second = tryAcquireLock(path);
    expect(existsSync(path)).toBe(true);
    second?.release();
    expect(existsSync(path)).toBe(false);
  });

  it('never throws, even when the lock is gone', () => {
    const path = join(dir, 'auth.lock');
    const lock = tryAcquireLock(path);
    rmSync(path);
    expect(() => lock?.release()).not.toThrow();
  });
});

describe('judging an owner', () => {
  it('breaks the lock of a dead owner on this host, boot and PID namespace at once', () => {
    const path = lockWith({ ...myRecord(), pid: deadPid() });
    expect(inspectLock(path, { staleMs: 3_600_000 })).toBe('stale');
    const lock = tryAcquireLock(path, { staleMs: 3_600_000 });
    expect(lock).toBeDefined();
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    lock?.release();
  });

  it.each([
    ['another host', { host: 'some-other-host' }],
    ['another boot', { boot: 'another-boot-id' }],
    ['another PID namespace', { pidns: 'pid:[1]' }],
    ['an unknown start time', { start: '' }],
    ['a pid that is not a positive whole number', { pid: -5 }],
  ])('does not judge an owner on %s dead, until staleMs', (_, change) => {
    const record = { ...myRecord(), pid: deadPid(), ...change };
    expect(inspectLock(lockWith(record), { staleMs: 3_600_000 })).toBe('held');
    expect(tryAcquireLock(lockWith(record), { staleMs: 3_600_000 })).toBeUndefined();
    // …and past staleMs it is stale all the same.
    expect(inspectLock(lockWith(record, 120_000), { staleMs: 60_000 })).toBe('stale');
  });

  it('holds for a live owner, but not for its pid reused by a process started at another time', () => {
    const me = myRecord();
    expect(inspectLock(lockWith(me), { staleMs: 3_600_000 })).toBe('held');
    expect(inspectLock(lockWith({ ...me, start: '1' }), { staleMs: 3_600_000 })).toBe('stale');
  });

  it('judges an unreadable record by age alone, at the shorter of staleMs and 5 s', () => {
    for (const text of ['not json', '', 'null', JSON.stringify({ pid: '123', host: 'h' }), JSON.stringify({ pid: 123 })]) {
      expect(inspectLock(lockWith(text), { staleMs: 3_600_000 }), text).toBe('held');
      expect(inspectLock(lockWith(text, 10_000), { staleMs: 3_600_000 }), text).toBe('stale');
      expect(inspectLock(lockWith(text, 2_000), { staleMs: 1_000 }), text).toBe('stale');
      expect(inspectLock(lockWith(text, 2_000), { staleMs: 60_000 }), text).toBe('held');
    }
  });
});

describe('redactSecrets', () => {
  it('replaces the longer of two overlapping secrets whole', () => {
    expect(redactSecrets('token: abcdef-123 end', ['abc', 'abcdef-123'])).toBe('token: [redacted] end');
    expect(redactSecrets('token: abcdef-123 end', ['abcdef-123', 'abc'])).toBe('token: [redacted] end');
  });

  it('replaces the base64 form too, ignores empty secrets, trims and cuts to maxLength', () => {
    const b64 = Buffer.from('s3cret', 'utf8').toString('base64');
    expect(redactSecrets(`  a ${b64} b s3cret  `, ['', 's3cret'])).toBe('a [redacted] b [redacted]');
    expect(redactSecrets('x'.repeat(10), [], 4)).toBe('xxxx…');
    expect(redactSecrets('x'.repeat(4), [], 4)).toBe('xxxx');
  });
});
