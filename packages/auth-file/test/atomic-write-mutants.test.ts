// writeFileAtomic's steps that mutation testing showed unobserved (docs/quality.md): the exact mode, the
// owner (chown, as root), the fsync of the file and of its folder, closing both handles, and removing the
// temporary file when the rename fails. Real files; fsync and close are seen through spies on FileHandle,
// the only place they show.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '@ecr-auth/auth-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecr-auth-atomic-mutants-'));
});
afterEach(() => {
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

async function fileHandlePrototype(): Promise<{ sync: () => Promise<void> }> {
  const handle = await open(join(dir, '.probe'), 'w');
  const prototype = Object.getPrototypeOf(handle) as { sync: () => Promise<void> };
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
