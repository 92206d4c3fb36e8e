import { constants, open } from 'node:fs/promises';
import { AuthFileAccessError, AuthFileNotRegularError, errnoCode, pathKind } from './errors.js';

/** An existing auth file as read: its bytes and what is kept on rewrite. */
export interface ReadFile {
  bytes: Buffer;
  mode: number;
  uid: number;
  gid: number;
}

// Far above any real auth file (a few KiB); a bound, so that a wrong path cannot make us read gigabytes.
const MAX_BYTES = 16 * 1024 * 1024;

/**
 * Reads `path` if it is a regular file, without following a final link and without blocking: `O_NOFOLLOW`
 * and `O_NONBLOCK` at open (a FIFO opens at once), then `fstat` on the open file decides, so that nothing
 * swapped in after an earlier check is read.
 *
 * @returns the file, or `undefined` when there is none.
 * @throws AuthFileNotRegularError for anything but a regular file; AuthFileAccessError otherwise.
 */
export async function readRegularFile(path: string): Promise<ReadFile | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new AuthFileNotRegularError(path, 'symbolic-link', 'it became a symbolic link while we worked on it');
    throw new AuthFileAccessError(path, 'read', error);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new AuthFileNotRegularError(path, pathKind(info));
    if (info.size > MAX_BYTES) throw new AuthFileAccessError(path, 'read', Object.assign(new Error('file too large'), { code: 'EFBIG' }));
    const bytes = await handle.readFile();
    return { bytes, mode: info.mode & 0o7777, uid: info.uid, gid: info.gid };
  } catch (error) {
    if (error instanceof AuthFileNotRegularError || error instanceof AuthFileAccessError) throw error;
    throw new AuthFileAccessError(path, 'read', error);
  } finally {
    await handle.close();
  }
}
