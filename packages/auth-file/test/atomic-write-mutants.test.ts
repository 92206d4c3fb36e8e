// writeFileAtomic's steps that mutation testing showed unobserved (docs/quality.md): the exact mode, the
// owner (chown, as root), the fsync of the file and of its folder, closing both handles, and removing the
// temporary file when the rename fails. Real files; fsync and close are seen through spies on FileHandle,
// the only place they show.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '@ecr-auth/auth-file';
import { atomicSeams, removeStrayTemporaryFiles } from '../src/atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecr-auth-atomic-mutants-'));
});
const originalOpenFolder = atomicSeams.openFolder;
afterEach(() => {
  atomicSeams.openFolder = originalOpenFolder;
  vi.useRealTimers();
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** Descriptors this process has open, pointing into the test folder (a leaked handle shows here). */
const openInDir = (): string[] =>
  readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(dir) ? [target] : [];
    } catch {
      return [];
    }
  });

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: simulated`), { code });

async function fileHandlePrototype(): Promise<{ sync: () => Promise<void>; chown: (uid: number, gid: number) => Promise<void> }> {
  const handle = await open(join(dir, '.probe'), 'w');
  const prototype = Object.getPrototypeOf(handle) as { sync: () => Promise<void>; chown: (uid: number, gid: number) => Promise<void> };
  await handle.close();
  rmSync(join(dir, '.probe'));
  return prototype;
}

describe('writeFileAtomic', () => {
  it('writes the content with the exact mode asked for (the temporary file is created 0600)', async () => {
    const path = join(dir, 'config.json');
    await writeFileAtomic(path, '{"a":1}', { mode: 0o644 });
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}');
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it.runIf(process.getuid?.() === 0)('gives the file the owner asked for, and only when both uid and gid are given', async () => {
    await writeFileAtomic(join(dir, 'owned.json'), '{}', { mode: 0o600, uid: 4321, gid: 4322 });
    expect(statSync(join(dir, 'owned.json'))).toMatchObject({ uid: 4321, gid: 4322 });
    // Negative control: without a gid the file stays ours.
    await writeFileAtomic(join(dir, 'mine.json'), '{}', { mode: 0o600, uid: 4321 });
    expect(statSync(join(dir, 'mine.json'))).toMatchObject({ uid: 0, gid: 0 });
    await writeFileAtomic(join(dir, 'group.json'), '{}', { mode: 0o600, gid: 4322 });
    expect(statSync(join(dir, 'group.json'))).toMatchObject({ uid: 0, gid: 0 });
  });

  it('fsyncs the file and then its folder, and closes both handles', async () => {
    const prototype = await fileHandlePrototype();
    const sync = vi.spyOn(prototype, 'sync');
    // Negative control for the descriptor check: an open handle into the folder does show.
    const probe = await open(join(dir, 'probe'), 'w');
    expect(openInDir()).toHaveLength(1);
    await probe.close();
    await writeFileAtomic(join(dir, 'synced.json'), '{}', { mode: 0o600 });
    expect(sync).toHaveBeenCalledTimes(2);
    expect(openInDir()).toEqual([]);
  });

  it('closes the handle and removes the temporary file when the write fails', async () => {
    // The target is a folder: rename() fails after the temporary file was written.
    mkdirSync(join(dir, 'taken'));
    await expect(writeFileAtomic(join(dir, 'taken'), '{}', { mode: 0o600 })).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/) });
    expect(openInDir()).toEqual([]);
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});

describe('writeFileAtomic where the folder cannot be synced', () => {
  it.each(['EISDIR', 'EINVAL', 'EPERM', 'ENOTSUP', 'EBADF'])('a folder fsync failing with %s (not supported there) is ignored; the handle is closed', async (code) => {
    const prototype = await fileHandlePrototype();
    const realSync = prototype.sync;
    let calls = 0;
    vi.spyOn(prototype, 'sync').mockImplementation(function (this: FileHandle) {
      calls++;
      return calls === 2 ? Promise.reject(errno(code)) : realSync.call(this);
    });
    await writeFileAtomic(join(dir, 'config.json'), '{"a":1}', { mode: 0o600 });
    expect(calls).toBe(2);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{"a":1}');
    expect(openInDir()).toEqual([]);
  });

  it('any other folder fsync error is the error of the write (control)', async () => {
    const prototype = await fileHandlePrototype();
    const realSync = prototype.sync;
    let calls = 0;
    vi.spyOn(prototype, 'sync').mockImplementation(function (this: FileHandle) {
      calls++;
      return calls === 2 ? Promise.reject(errno('EIO')) : realSync.call(this);
    });
    await expect(writeFileAtomic(join(dir, 'config.json'), '{}', { mode: 0o600 })).rejects.toMatchObject({ code: 'EIO' });
    expect(openInDir()).toEqual([]);
  });

  it('a folder that cannot be opened (EISDIR, as on Windows) is not synced, and that is no error; EIO is', async () => {
    atomicSeams.openFolder = () => Promise.reject(errno('EISDIR'));
    await writeFileAtomic(join(dir, 'config.json'), '{}', { mode: 0o600 });
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{}');
    atomicSeams.openFolder = () => Promise.reject(errno('EIO'));
    await expect(writeFileAtomic(join(dir, 'config.json'), '{}', { mode: 0o600 })).rejects.toMatchObject({ code: 'EIO' });
  });
});

describe('writeFileAtomic where the owner cannot be given', () => {
  it.each(['EPERM', 'EINVAL'])('chown failing with %s (not allowed, or no such user here) leaves the file ours, written whole', async (code) => {
    const prototype = await fileHandlePrototype();
    const chown = vi.spyOn(prototype, 'chown').mockRejectedValue(errno(code));
    await writeFileAtomic(join(dir, 'config.json'), '{"a":1}', { mode: 0o640, uid: 4321, gid: 4322 });
    expect(chown).toHaveBeenCalledWith(4321, 4322);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{"a":1}');
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o640);
  });

  it('any other chown error fails the write: the target stays as it was, no temporary file is left (control)', async () => {
    writeFileSync(join(dir, 'config.json'), 'old');
    const prototype = await fileHandlePrototype();
    vi.spyOn(prototype, 'chown').mockRejectedValue(errno('EIO'));
    await expect(writeFileAtomic(join(dir, 'config.json'), 'new', { mode: 0o600, uid: 4321, gid: 4322 })).rejects.toMatchObject({ code: 'EIO' });
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['config.json']);
    expect(openInDir()).toEqual([]);
  });
});

describe('removeStrayTemporaryFiles', () => {
  const stray = '.auth.json.ecr-auth-4242-k3j2h1.tmp';

  it('returns the names it removed', async () => {
    writeFileSync(join(dir, stray), 'AWS:secret');
    const old = (Date.now() - 120_000) / 1000;
    utimesSync(join(dir, stray), old, old);
    expect(await removeStrayTemporaryFiles(join(dir, 'auth.json'))).toEqual([stray]);
    expect(await removeStrayTemporaryFiles(join(dir, 'auth.json'))).toEqual([]); // control: nothing left
  });

  it('a missing folder has no strays', async () => {
    expect(await removeStrayTemporaryFiles(join(dir, 'missing', 'auth.json'))).toEqual([]);
  });

  it('removes a stray exactly olderThanMs old, not one a millisecond younger', async () => {
    writeFileSync(join(dir, stray), 'AWS:secret');
    const then = Math.floor(Date.now() / 1000) - 10;
    utimesSync(join(dir, stray), then, then);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(then * 1000 + 59_999);
    expect(await removeStrayTemporaryFiles(join(dir, 'auth.json'), 60_000)).toEqual([]);
    vi.setSystemTime(then * 1000 + 60_000);
    expect(await removeStrayTemporaryFiles(join(dir, 'auth.json'), 60_000)).toEqual([stray]);
  });
});
