// Item 1 of issue 9: know what a path is before touching it.
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, readFile, readdir, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthFileAccessError, AuthFileNotRegularError, type PathKind, removeContainersAuth, resolveWriteTarget, writeContainersAuth } from '@ecr-auth/auth-file';
import { writeDockerConfig } from '@ecr-auth/docker-config';
import { registerSecrets } from '../../../test-support/leaks.js';
import { tempDirs, testToken } from '../../../test-support/real-tools/fixtures.js';

const PASSWORD = 'path-kinds-password-5rt7';
registerSecrets(() => [PASSWORD]);
const token = testToken(PASSWORD, '127.0.0.1:5000');
const dirs = tempDirs();
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await dirs.cleanup();
});

/** Makes a special file of each kind at `path` (we run as root for devices). */
async function makeKind(path: string, kind: PathKind): Promise<void> {
  if (kind === 'directory') await mkdir(path);
  else if (kind === 'character-device') execFileSync('mknod', [path, 'c', '1', '3']); // a copy of /dev/null
  else if (kind === 'block-device') execFileSync('mknod', [path, 'b', '7', '200']);
  else if (kind === 'fifo') execFileSync('mkfifo', [path]);
  else if (kind === 'socket') {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    closers.push(() => server.close());
  }
}

async function kindOf(path: string): Promise<string> {
  const info = await lstat(path);
  return info.isFIFO() ? 'fifo' : info.isCharacterDevice() ? 'character-device' : info.isBlockDevice() ? 'block-device' : info.isSocket() ? 'socket' : info.isDirectory() ? 'directory' : 'file';
}

const KINDS: PathKind[] = ['directory', 'character-device', 'block-device', 'fifo', 'socket'];

describe('a special file where the auth file belongs', () => {
  it.each(KINDS)('a %s is refused with a typed error naming it; nothing is created, replaced or read', async (kind) => {
    const root = await dirs.make();
    const path = join(root, 'auth.json');
    await makeKind(path, kind);
    for (const attempt of [() => writeContainersAuth(token, { authFile: path }), () => removeContainersAuth('127.0.0.1:5000', { authFile: path })]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthFileNotRegularError);
      expect(error).toMatchObject({ code: 'ECR_AUTH_FILE_INVALID', problem: 'not-a-regular-file', kind, path });
      expect((error as Error).message).toContain(path);
    }
    expect(await kindOf(path)).toBe(kind);
    expect(await readdir(root)).toEqual(['auth.json']); // no lock, no temporary file
  });

  it.each(KINDS)('a link to a %s is refused and the %s stays; a link to a regular file is written through (control)', async (kind) => {
    const root = await dirs.make();
    const special = join(root, 'special');
    const path = join(root, 'config.json');
    await makeKind(special, kind);
    await symlink(special, path);
    const error = await writeDockerConfig(token, { path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileNotRegularError);
    expect((error as Error).message).toContain(special);
    expect(await kindOf(special)).toBe(kind);
    expect((await lstat(path)).isSymbolicLink()).toBe(true);
    expect((await readdir(root)).sort()).toEqual(['config.json', 'special']);

    const real = join(root, 'real.json');
    await writeFile(real, '{}');
    const link = join(root, 'link.json');
    await symlink(real, link);
    const written = await writeDockerConfig(token, { path: link });
    expect(written.target).toBe(real);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(real, 'utf8'))).toHaveProperty(['auths', '127.0.0.1:5000']);
  });

  it('a FIFO does not block: the refusal comes back while no writer ever opens the FIFO', async () => {
    const root = await dirs.make();
    const path = join(root, 'auth.json');
    await makeKind(path, 'fifo');
    // Were the FIFO opened for reading without O_NONBLOCK, this would never settle (and the test would time out).
    await expect(writeContainersAuth(token, { authFile: path })).rejects.toBeInstanceOf(AuthFileNotRegularError);
  });

  it('a path ending in "/" or naming an existing folder is refused; no file named like the folder appears', async () => {
    const root = await dirs.make();
    const folder = join(root, 'docker');
    for (const path of [`${folder}/`, `${root}/`]) {
      await expect(writeDockerConfig(token, { path })).rejects.toBeInstanceOf(AuthFileNotRegularError);
      await expect(resolveWriteTarget(path)).rejects.toThrow(/names a folder/);
    }
    expect(await readdir(root)).toEqual([]);
    await mkdir(folder);
    await expect(writeDockerConfig(token, { path: folder })).rejects.toMatchObject({ kind: 'directory' });
    expect(await readdir(folder)).toEqual([]);
    // Control: the file inside it is fine.
    expect((await writeDockerConfig(token, { path: join(folder, 'config.json') })).created).toBe(true);
  });
});

describe('folders that cannot be created', () => {
  it.each(['/proc/ecr-auth-test-folder/auth.json', '/proc/self/ecr-auth/deeper/auth.json', '/proc/sys/ecr-auth/auth.json'])(
    '%s fails at once with a clear error (no endless mkdir loop)',
    async (path) => {
      const error = await writeContainersAuth(token, { authFile: path }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthFileAccessError);
      expect((error as Error).message).toMatch(/cannot create the folder \/proc\/\S+: the file system does not allow it/);
    },
  );

  it('a file in the way of a folder is refused; a missing chain of folders is created 0700 (control)', async () => {
    const root = await dirs.make();
    await writeFile(join(root, 'plain'), 'x');
    const error = await writeContainersAuth(token, { authFile: join(root, 'plain', 'sub', 'auth.json') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileAccessError);
    expect((error as Error).message).toContain('not a folder');
    expect(await readFile(join(root, 'plain'), 'utf8')).toBe('x');
    const deep = join(root, 'a', 'b', 'c', 'd', 'auth.json');
    expect((await writeContainersAuth(token, { authFile: deep })).created).toBe(true);
    for (const level of ['a', 'a/b', 'a/b/c', 'a/b/c/d']) expect((await stat(join(root, level))).mode & 0o777).toBe(0o700);
  });
});

describe('temporary files', () => {
  it('removes stray temporary files of ours older than a minute on the next write, and nothing else', async () => {
    const root = await dirs.make();
    const path = join(root, 'auth.json');
    await writeFile(path, '{}');
    const old = new Date(Date.now() - 120_000);
    const ours = ['.auth.json.ecr-auth-4242-k3j2h1.tmp', '.auth.json.lock.ecr-auth-4242-abc.tmp', '.auth.json.lock.break.ecr-auth-1-z.tmp', '.auth.json.4242.0123456789ab.tmp'];
    const kept = ['.auth.json.swp', '.other.json.ecr-auth-1-a.tmp', 'auth.json.ecr-auth-1-a.tmp', '.auth.json.ecr-auth-x-a.tmp.bak'];
    for (const name of [...ours, ...kept]) {
      await writeFile(join(root, name), 'AWS:secret');
      await utimes(join(root, name), old, old);
    }
    const fresh = '.auth.json.ecr-auth-4243-fresh.tmp'; // a live writer's, or younger than a minute (control)
    await writeFile(join(root, fresh), 'x');
    await mkdir(join(root, '.auth.json.ecr-auth-1-dir.tmp')); // not a file: left alone
    await utimes(join(root, '.auth.json.ecr-auth-1-dir.tmp'), old, old);
    await writeContainersAuth(token, { authFile: path });
    expect((await readdir(root)).sort()).toEqual(['auth.json', fresh, '.auth.json.ecr-auth-1-dir.tmp', ...kept].sort());
  });
});

describe('a special file where the lock belongs', () => {
  it('a directory named like the lock is refused with the lock path and its kind; a lock file is fine (control)', async () => {
    const root = await dirs.make();
    const path = join(root, 'auth.json');
    await mkdir(`${path}.lock`);
    const error = await writeContainersAuth(token, { authFile: path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileNotRegularError);
    expect(error).toMatchObject({ kind: 'directory', path: `${path}.lock` });
    expect((await readdir(root)).sort()).toEqual(['auth.json.lock']);
    await (await import('node:fs/promises')).rmdir(`${path}.lock`);
    expect((await writeContainersAuth(token, { authFile: path })).created).toBe(true);
  });
});
