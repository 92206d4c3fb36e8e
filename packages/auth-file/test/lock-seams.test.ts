// The lock rules a root test process on Linux cannot reach by itself, through the seams of lock-file.ts (not
// exported by the package): another user's lock, a missing /proc, a file system without hard links, and another
// waiter acting between our judging a lock stale and breaking it. Also the edges of the rules that mutation testing
// showed unobserved: exactly staleMs old, pid 0, a start time that is not text, what is not a lock file.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { inspectLock, tryAcquireLock } from '@ecr-auth/auth-file';
import { forgetIdentity, lockSeams } from '../src/lock-file.js';

const original = { ...lockSeams };
let dir: string;
const closers: (() => void)[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecr-auth-lock-seams-'));
});
afterEach(() => {
  Object.assign(lockSeams, original);
  forgetIdentity();
  vi.useRealTimers();
  for (const close of closers.splice(0)) close();
  rmSync(dir, { recursive: true, force: true });
});

type OwnerRecord = Record<string, unknown>;
const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: simulated`), { code });

/** This process's owner record as tryAcquireLock writes it (under the seams in force). */
function myRecord(): OwnerRecord {
  const probe = join(dir, 'probe.lock');
  const lock = tryAcquireLock(probe);
  if (!lock) throw new Error('could not take a fresh lock');
  const record = JSON.parse(readFileSync(probe, 'utf8')) as OwnerRecord;
  lock.release();
  return record;
}
/** A pid that was just used and is free now. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
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
const HOUR = 3_600_000;

describe('whose lock may be judged dead (the uid rule, for hidepid)', () => {
  it('a non-root process judges only its own owners; root judges anyone', () => {
    lockSeams.uid = () => 1000;
    forgetIdentity();
    const mine: OwnerRecord = { ...myRecord(), pid: deadPid() };
    expect(mine['uid']).toBe(1000);
    expect(inspectLock(lockWith(mine), { staleMs: HOUR })).toBe('stale'); // control: our own dead owner
    expect(inspectLock(lockWith({ ...mine, uid: 2000 }), { staleMs: HOUR })).toBe('held');
    expect(inspectLock(lockWith({ ...mine, uid: '1000' }), { staleMs: HOUR })).toBe('held'); // not a number: nobody's
    lockSeams.uid = () => 0;
    forgetIdentity();
    expect(inspectLock(lockWith({ ...mine, uid: 2000 }), { staleMs: HOUR })).toBe('stale');
  });

  it('a record without a uid belongs to nobody: a non-root process never judges it dead', () => {
    lockSeams.uid = () => 1;
    forgetIdentity();
    const { uid: _uid, ...withoutUid }: OwnerRecord = { ...myRecord(), pid: deadPid() };
    expect(inspectLock(lockWith(withoutUid), { staleMs: HOUR })).toBe('held');
    expect(inspectLock(lockWith({ ...withoutUid, uid: 1 }), { staleMs: HOUR })).toBe('stale'); // control
  });
});

describe('without /proc, or with only part of it', () => {
  function failing(path: string): void {
    const { readProc, readProcLink } = original;
    lockSeams.readProc = (p) => {
      if (p === path) throw errno('ENOENT');
      return readProc(p);
    };
    lockSeams.readProcLink = (p) => {
      if (p === path) throw errno('ENOENT');
      return readProcLink(p);
    };
    forgetIdentity();
  }

  it('control: with all of /proc readable, an owner whose pid is free is dead', () => {
    expect(inspectLock(lockWith({ ...myRecord(), pid: deadPid() }), { staleMs: HOUR })).toBe('stale');
  });

  it.each([
    ['the boot id', '/proc/sys/kernel/random/boot_id'],
    ['our PID namespace', '/proc/self/ns/pid'],
    ['our start time', '/proc/self/stat'],
    ['/proc/self (a /proc of another PID namespace)', '/proc/self'],
  ])('without %s no owner is provably dead: judged by age only', (_, path) => {
    failing(path);
    const record = { ...myRecord(), pid: deadPid() };
    expect(inspectLock(lockWith(record), { staleMs: HOUR })).toBe('held');
    expect(inspectLock(lockWith(record, 120_000), { staleMs: 60_000 })).toBe('stale');
  });

  it('a stat line without the start time field gives no start time', () => {
    lockSeams.readProc = (p) => (p === '/proc/self/stat' ? '1 (node) S 0' : original.readProc(p));
    forgetIdentity();
    expect(myRecord()['start']).toBe('');
    lockSeams.readProc = original.readProc; // control
    forgetIdentity();
    expect(myRecord()['start']).toMatch(/^\d+$/);
  });

  it("an owner whose /proc entry is hidden (EACCES) is not dead; one whose entry is gone (ENOENT) is", () => {
    const pid = deadPid();
    const record = { ...myRecord(), pid };
    lockSeams.readProc = (p) => {
      if (p === `/proc/${pid}/stat`) throw errno('EACCES');
      return original.readProc(p);
    };
    expect(inspectLock(lockWith(record), { staleMs: HOUR })).toBe('held');
    lockSeams.readProc = original.readProc;
    expect(inspectLock(lockWith(record), { staleMs: HOUR })).toBe('stale');
  });
});

describe('judging an owner: the edges', () => {
  it('pid 0 is never judged dead', () => {
    const record = myRecord();
    expect(inspectLock(lockWith({ ...record, pid: 0 }), { staleMs: HOUR })).toBe('held');
    expect(inspectLock(lockWith({ ...record, pid: deadPid() }), { staleMs: HOUR })).toBe('stale'); // control
  });

  it('a start time that is not text is unknown: a live or dead owner is judged by age', () => {
    const record = { ...myRecord(), pid: deadPid() };
    expect(inspectLock(lockWith({ ...record, start: 12345 }), { staleMs: HOUR })).toBe('held');
    expect(inspectLock(lockWith({ ...record, start: '12345' }), { staleMs: HOUR })).toBe('stale'); // control
  });

  it('a lock exactly staleMs old is not stale yet; a millisecond older is', () => {
    const unreadable = lockWith('garbage');
    const live = lockWith(myRecord());
    const then = Math.floor(Date.now() / 1000) - 10;
    for (const path of [unreadable, live]) utimesSync(path, then, then);
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const path of [unreadable, live]) {
      const mtime = statSync(path).mtimeMs;
      vi.setSystemTime(mtime + 1_000);
      expect(inspectLock(path, { staleMs: 1_000 }), path).toBe('held');
      vi.setSystemTime(mtime + 1_001);
      expect(inspectLock(path, { staleMs: 1_000 }), path).toBe('stale');
    }
  });

  it('the nonce is base-36 text, fresh for each lock', () => {
    const [a, b] = [myRecord()['nonce'], myRecord()['nonce']];
    expect(a).toMatch(/^[0-9a-z]{16,}$/);
    expect(b).toMatch(/^[0-9a-z]{16,}$/);
    expect(a).not.toBe(b);
  });
});

describe('another waiter between our judging a stale lock and breaking it', () => {
  /** A lock whose owner is provably dead, and the hook that runs once between judging and breaking. */
  function staleLock(race: (path: string) => void): string {
    const path = lockWith({ ...myRecord(), pid: deadPid() });
    lockSeams.beforeBreak = (p) => {
      lockSeams.beforeBreak = original.beforeBreak;
      race(p);
    };
    return path;
  }

  it('control: with nobody else, the stale lock is broken and taken, and the .break lock removed', () => {
    const path = staleLock(() => undefined);
    const lock = tryAcquireLock(path);
    expect(lock).toBeDefined();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(readdirSync(dir)).toEqual([basename(path)]);
  });

  it('the other waiter broke it and took it: we fail, and their lock stays', () => {
    let theirs: string | undefined;
    const path = staleLock((p) => {
      rmSync(p);
      expect(tryAcquireLock(p)).toBeDefined();
      theirs = readFileSync(p, 'utf8');
    });
    expect(tryAcquireLock(path)).toBeUndefined();
    expect(readFileSync(path, 'utf8')).toBe(theirs);
    expect(readdirSync(dir)).toEqual([basename(path)]);
  });

  it('the lock was rewritten in place (same file, another record): not deleted', () => {
    const rewritten = JSON.stringify({ ...myRecord(), nonce: 'rewritten' });
    const path = staleLock((p) => writeFileSync(p, rewritten));
    expect(tryAcquireLock(path)).toBeUndefined();
    expect(readFileSync(path, 'utf8')).toBe(rewritten);
  });

  it('the lock was replaced by another file with the same record: not deleted', () => {
    let inode = 0;
    const path = staleLock((p) => {
      writeFileSync(`${p}.new`, readFileSync(p));
      renameSync(`${p}.new`, p);
      inode = statSync(p).ino;
    });
    expect(tryAcquireLock(path)).toBeUndefined();
    expect(statSync(path).ino).toBe(inode);
  });

  it('the lock was released: taken in the second round', () => {
    const path = staleLock((p) => rmSync(p));
    expect(tryAcquireLock(path)).toBeDefined();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('a directory took the lock path: not taken, and no error', () => {
    const path = staleLock((p) => {
      rmSync(p);
      mkdirSync(p);
    });
    expect(tryAcquireLock(path)).toBeUndefined();
    expect(statSync(path).isDirectory()).toBe(true);
  });

  it('another breaker holds the .break lock: we do not break; a .break lock left by a crash (over 2 s old) is cleared for the next try', () => {
    const fresh = staleLock((p) => writeFileSync(`${p}.break`, 'garbage'));
    const before = readFileSync(fresh, 'utf8');
    expect(tryAcquireLock(fresh)).toBeUndefined();
    expect(readFileSync(fresh, 'utf8')).toBe(before);
    expect(readFileSync(`${fresh}.break`, 'utf8')).toBe('garbage');

    const crashed = staleLock((p) => {
      writeFileSync(`${p}.break`, 'garbage');
      const then = (Date.now() - 3_000) / 1000;
      utimesSync(`${p}.break`, then, then);
    });
    const stale = readFileSync(crashed, 'utf8');
    expect(tryAcquireLock(crashed)).toBeUndefined();
    expect(readdirSync(dir)).not.toContain(`${basename(crashed)}.break`);
    expect(readFileSync(crashed, 'utf8')).toBe(stale); // not broken in the try that found the .break lock held
    expect(tryAcquireLock(crashed)).toBeDefined(); // the next try breaks it
  });

  it('the .break lock of another breaker is gone between our failed link and our read: we do not break this time, and no error', () => {
    const path = staleLock(() => undefined);
    const before = readFileSync(path, 'utf8');
    lockSeams.link = (existing, p) => {
      if (!p.endsWith('.break')) return original.link(existing, p);
      writeFileSync(p, 'theirs'); // held by another breaker…
      try {
        original.link(existing, p);
      } finally {
        rmSync(p); // …who is done before we read it
      }
    };
    expect(tryAcquireLock(path)).toBeUndefined();
    expect(readFileSync(path, 'utf8')).toBe(before);
    lockSeams.link = original.link; // control: the next try breaks it
    expect(tryAcquireLock(path)).toBeDefined();
  });
});

describe('placing the lock', () => {
  it('is a hard link of a whole temporary file of ours, 0600', () => {
    const links: [string, string][] = [];
    lockSeams.link = (existing, path) => {
      links.push([existing, path]);
      original.link(existing, path);
    };
    const path = join(dir, 'token.lock');
    expect(tryAcquireLock(path)).toBeDefined();
    expect(links).toHaveLength(1);
    const [temporary, target] = links[0] ?? ['', ''];
    expect(target).toBe(path);
    expect(dirname(temporary)).toBe(dir);
    expect(basename(temporary)).toMatch(new RegExp(`^\\.token\\.lock\\.ecr-auth-${process.pid}-[0-9a-z]{1,8}\\.tmp$`));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['token.lock']);
  });

  it('a lock released between our link and our read is tried again, in two rounds at most', () => {
    let links = 0;
    const path = join(dir, 'token.lock');
    lockSeams.link = (existing, p) => {
      links++;
      writeFileSync(p, 'someone else'); // taken…
      try {
        original.link(existing, p);
      } finally {
        rmSync(p); // …and released before we read it
      }
    };
    expect(tryAcquireLock(path)).toBeUndefined();
    expect(links).toBe(2);
  });

  it.each(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK'])('without hard links (%s) the lock is created exclusively instead, and then held', (code) => {
    lockSeams.link = () => {
      throw errno(code);
    };
    const path = join(dir, 'token.lock');
    const lock = tryAcquireLock(path);
    expect(lock).toBeDefined();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['token.lock']);
    expect(tryAcquireLock(path)).toBeUndefined(); // held: our live record
    lock?.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('any other link error is thrown, and nothing is left behind', () => {
    lockSeams.link = () => {
      throw errno('EIO');
    };
    expect(() => tryAcquireLock(join(dir, 'token.lock'))).toThrow(expect.objectContaining({ code: 'EIO' }) as Error);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('without hard links, a create that keeps failing (room for the temporary file but not for the lock) is that error, not "held"', () => {
    lockSeams.link = () => {
      throw errno('EPERM');
    };
    const creates: string[] = [];
    lockSeams.create = (p) => {
      creates.push(p);
      throw errno('ENOSPC');
    };
    const path = join(dir, 'token.lock');
    expect(() => tryAcquireLock(path)).toThrow(expect.objectContaining({ code: 'ENOSPC' }) as Error);
    expect(creates).toEqual([path]);
    expect(readdirSync(dir)).toEqual([]);
    lockSeams.create = () => {
      throw errno('EEXIST'); // control: taken by another writer meanwhile
    };
    expect(tryAcquireLock(path)).toBeUndefined();
  });

  it('without hard links, a folder gone meanwhile is an error, not "held"', () => {
    const folder = join(dir, 'locks');
    mkdirSync(folder);
    lockSeams.link = () => {
      rmSync(folder, { recursive: true });
      throw errno('EPERM');
    };
    expect(() => tryAcquireLock(join(folder, 'token.lock'))).toThrow(expect.objectContaining({ code: 'ENOENT' }) as Error);
  });
});

describe('what is not a lock file', () => {
  const openInDir = (): string[] =>
    readdirSync('/proc/self/fd').flatMap((fd) => {
      try {
        const target = readlinkSync(`/proc/self/fd/${fd}`);
        return target.startsWith(dir) ? [target] : [];
      } catch {
        return [];
      }
    });

  async function make(path: string, kind: string): Promise<void> {
    if (kind === 'symbolic-link') symlinkSync(join(dir, 'elsewhere'), path);
    else if (kind === 'directory') mkdirSync(path);
    else if (kind === 'character-device') execFileSync('mknod', [path, 'c', '1', '3']);
    else if (kind === 'block-device') execFileSync('mknod', [path, 'b', '7', '200']);
    else if (kind === 'fifo') execFileSync('mkfifo', [path]);
    else if (kind === 'socket') {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(path, resolve));
      closers.push(() => server.close());
    }
  }

  it.each([
    ['symbolic-link', 'symbolic link'],
    ['directory', 'directory'],
    ['fifo', 'fifo'],
    ['socket', 'socket'],
    ...(process.getuid?.() === 0 ? [['character-device', 'character device'], ['block-device', 'block device']] : []),
  ])('a %s is refused with its kind, for taking and for inspecting', async (kind, words) => {
    const path = join(dir, 'token.lock');
    await make(path, kind);
    const expected = expect.objectContaining({ code: 'EFTYPE', kind, message: `${path} is not a lock file (it is a ${words}): remove it` }) as Error;
    expect(() => tryAcquireLock(path)).toThrow(expected);
    expect(() => inspectLock(path)).toThrow(expected);
  });

  it('a lock path under a regular file is the file system error, not "free"', () => {
    writeFileSync(join(dir, 'file'), '');
    expect(() => inspectLock(join(dir, 'file', 'token.lock'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }) as Error);
    expect(inspectLock(join(dir, 'token.lock'))).toBe('free'); // control
  });

  // /proc/sys/vm/drop_caches is write-only, even for root: open() fails where lstat() succeeds.
  it.runIf(existsSync('/proc/sys/vm/drop_caches'))('a lock path that cannot be opened (EACCES) is that error, not "not a lock file"', () => {
    expect(() => inspectLock('/proc/sys/vm/drop_caches')).toThrow(expect.objectContaining({ code: 'EACCES' }) as Error);
  });

  it('reading a lock leaves no descriptor open', () => {
    const path = lockWith('garbage');
    const probe = openSync(path, 'r'); // control: an open descriptor does show
    expect(openInDir()).toEqual([path]);
    closeSync(probe);
    expect(inspectLock(path)).toBe('held');
    expect(openInDir()).toEqual([]);
  });
});
