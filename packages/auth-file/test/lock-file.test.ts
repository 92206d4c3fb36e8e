import { chmod, mkdir, readFile, readdir, readlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectLock, tryAcquireLock } from '@ecr-auth/auth-file';
import { runNodeScript } from '../../../test-support/real-tools/node-child.js';
import { tempDirs } from '../../../test-support/real-tools/fixtures.js';
import { type LiveChild, spawnNodeChild } from './spawn-child.js';

const dirs = tempDirs();
const children: LiveChild[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.process.stdin.end();
    await child.exited;
  }
  await dirs.cleanup();
});

const LOCK_CHILD = fileURLToPath(new URL('./fixtures/lock-child.ts', import.meta.url));

function child(args: string[]): LiveChild {
  const started = spawnNodeChild(LOCK_CHILD, args);
  children.push(started);
  return started;
}

/** This process's identity as the lock records it, read independently of the module under test. */
async function here(): Promise<{ host: string; boot: string; pidns: string; uid: number; startOf: (pid: number) => Promise<string> }> {
  const startOf = async (pid: number) => {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  };
  return {
    host: hostname(),
    boot: (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim(),
    pidns: await readlink('/proc/self/ns/pid'),
    uid: process.getuid?.() ?? 0,
    startOf,
  };
}

async function age(path: string, ms: number): Promise<void> {
  const then = new Date(Date.now() - ms);
  await utimes(path, then, then);
}

describe('tryAcquireLock', () => {
  it('takes a free lock with a whole owner record, refuses it while held, and frees it on release', async () => {
    const root = await dirs.make();
    const path = join(root, 'token.lock');
    expect(inspectLock(path)).toBe('free');
    const lock = tryAcquireLock(path);
    expect(lock?.path).toBe(path);
    const record = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    const me = await here();
    expect(record).toMatchObject({ pid: process.pid, host: me.host, boot: me.boot, pidns: me.pidns, start: await me.startOf(process.pid) });
    expect(typeof record['nonce']).toBe('string');
    expect(inspectLock(path)).toBe('held');
    expect(tryAcquireLock(path)).toBeUndefined(); // a second taker, even in this process
    lock?.release();
    expect(inspectLock(path)).toBe('free');
    expect(await readdir(root)).toEqual([]); // no temporary file left
    lock?.release(); // twice: never throws
  });

  it('breaks at once the lock of a writer killed with SIGKILL, and not the lock of a live one (control)', async () => {
    const root = await dirs.make();
    const path = join(root, 'token.lock');
    const crashed = child([path, 'crash']);
    await crashed.waitFor(/got/);
    expect((await crashed.exited).signal).toBe('SIGKILL');
    expect(inspectLock(path)).toBe('stale');
    const lock = tryAcquireLock(path);
    expect(lock).toBeDefined();
    lock?.release();

    const live = child([path, 'take']);
    await live.waitFor(/got/);
    expect(inspectLock(path)).toBe('held');
    expect(tryAcquireLock(path)).toBeUndefined();
  });

  it('treats a reused pid (same pid, other start time) as dead; the right start time as alive (control)', async () => {
    const root = await dirs.make();
    const path = join(root, 'token.lock');
    const me = await here();
    const record = { pid: process.ppid, uid: me.uid, host: me.host, boot: me.boot, pidns: me.pidns, nonce: 'n' };
    await writeFile(path, JSON.stringify({ ...record, start: '1' }));
    expect(inspectLock(path)).toBe('stale');
    await writeFile(path, JSON.stringify({ ...record, start: await me.startOf(process.ppid) }));
    expect(inspectLock(path)).toBe('held');
  });

  it('judges a lock from another PID namespace, boot or host by age only, even when its pid is free here', async () => {
    const root = await dirs.make();
    const path = join(root, 'token.lock');
    const me = await here();
    const dead = Number((await runNodeScript(fileURLToPath(new URL('./fixtures/print-pid.ts', import.meta.url)))).stdout);
    const base = { pid: dead, uid: me.uid, host: me.host, boot: me.boot, pidns: me.pidns, start: '12345', nonce: 'n' };
    // Control: from our namespace, that dead pid is provably dead.
    await writeFile(path, JSON.stringify(base));
    expect(inspectLock(path)).toBe('stale');
    for (const other of [{ pidns: 'pid:[1]' }, { boot: '00000000-0000-0000-0000-000000000000' }, { host: 'elsewhere.example' }]) {
      await writeFile(path, JSON.stringify({ ...base, ...other }));
      expect(inspectLock(path)).toBe('held');
      expect(tryAcquireLock(path)).toBeUndefined();
      await age(path, 31_000);
      expect(inspectLock(path)).toBe('stale');
      expect(inspectLock(path, { staleMs: 60_000 })).toBe('held');
    }
    const lock = tryAcquireLock(path);
    expect(lock).toBeDefined();
    lock?.release();
  });

  it('breaks an empty (legacy) lock after a short age, and not a fresh one (control)', async () => {
    const root = await dirs.make();
    const path = join(root, 'token.lock');
    await writeFile(path, '');
    expect(inspectLock(path)).toBe('held');
    expect(tryAcquireLock(path)).toBeUndefined();
    await age(path, 6_000);
    expect(inspectLock(path)).toBe('stale');
    expect(inspectLock(path, { staleMs: 10_000 })).toBe('stale'); // the short threshold, not staleMs
    const lock = tryAcquireLock(path);
    expect(lock).toBeDefined();
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock?.release();
  });

  it('release removes only its own lock', async () => {
    const root = await dirs.make();
    const path = join(root, 'token.lock');
    const lock = tryAcquireLock(path);
    await writeFile(path, JSON.stringify({ pid: 1, host: 'someone.else', nonce: 'theirs' }));
    lock?.release();
    expect(await readFile(path, 'utf8')).toContain('theirs');
  });

  it('throws the file system error for anything but "held"', async () => {
    const root = await dirs.make();
    expect(() => tryAcquireLock(join(root, 'missing-folder', 'token.lock'))).toThrow(expect.objectContaining({ code: 'ENOENT' }) as Error);
    await mkdir(join(root, 'dir.lock'));
    expect(() => tryAcquireLock(join(root, 'dir.lock'))).toThrow(expect.objectContaining({ code: 'EFTYPE' }) as Error);
    expect(() => inspectLock(join(root, 'dir.lock'))).toThrow(/directory/);
  });

  it.runIf(process.getuid?.() === 0)("as an unprivileged user: records its uid, and never judges another user's lock dead (hidepid); its own it does (control)", async () => {
    const root = await dirs.make();
    await chmod(root, 0o777);
    const nobody = { uid: 65534, gid: 65534 };
    const path = join(root, 'token.lock');
    const crashed = await runNodeScript(LOCK_CHILD, [path, 'crash'], nobody);
    expect(crashed.signal).toBe('SIGKILL');
    const record = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(record['uid']).toBe(65534);
    expect((await runNodeScript(LOCK_CHILD, [path, 'inspect'], nobody)).stdout).toBe('stale\n');
    await writeFile(path, JSON.stringify({ ...record, uid: 0 }));
    expect((await runNodeScript(LOCK_CHILD, [path, 'inspect'], nobody)).stdout).toBe('held\n');
    expect(inspectLock(path, { staleMs: 3_600_000 })).toBe('stale'); // root judges anyone's
  });

  it('lets exactly one of 12 simultaneous waiters break a dead lock; the count catches two holders (control)', { timeout: 60_000 }, async () => {
    const root = await dirs.make();
    const path = join(root, 'token.lock');
    const crashed = child([path, 'crash']);
    await crashed.waitFor(/got/);
    await crashed.exited;
    const go = join(root, 'go');
    const waiters = Array.from({ length: 12 }, () => child([path, 'take', go]));
    await Promise.all(waiters.map((w) => w.waitFor(/ready/)));
    await writeFile(go, '');
    const answers = await Promise.all(waiters.map((w) => w.waitFor(/^(got|held)$/)));
    expect(answers.filter((a) => a === 'got')).toHaveLength(1);
    expect(answers.filter((a) => a === 'held')).toHaveLength(11);

    // Control: a careless breaker takes the lock from under the live holder, and the count sees two holders.
    const careless = child([path, 'naive']);
    const holders = [...answers, await careless.waitFor(/^(got|held)$/)];
    expect(holders.filter((a) => a === 'got')).toHaveLength(2);
  });
});
