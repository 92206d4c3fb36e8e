import { constants, open } from 'node:fs/promises';
import { type ParsedAuthFile, parseAuthFile } from './auth-document.js';
import { AuthFileAccessError, AuthFileNotRegularError, errnoCode, pathKind } from './errors.js';
import { resolveWriteTarget } from './write-target.js';

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

/**
 * Reads and parses an auth file without writing or locking anything, safely: links are followed to a regular
 * file as the tools follow them; a directory, device, FIFO or socket is refused without being opened for a
 * blocking read (a FIFO would hang `readFile`); the content is checked as {@link parseAuthFile} checks it.
 *
 * @example
 * ```ts
 * const parsed = await readAuthFile(join(homedir(), '.docker', 'config.json'));
 * const hosts = Object.keys(parsed?.document.auths ?? {});
 * ```
 *
 * @param path - the auth file.
 * @returns the parsed file, or `undefined` when it does not exist.
 * @throws AuthFileNotRegularError, AuthFileInvalidError, AuthFileAccessError.
 */
export async function readAuthFile(path: string): Promise<ParsedAuthFile | undefined> {
  const target = await resolveWriteTarget(path);
  const found = await readRegularFile(target);
  return found === undefined ? undefined : parseAuthFile(found.bytes, target);
}
