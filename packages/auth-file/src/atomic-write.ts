import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode } from './errors.js';

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** The file's mode (permission bits). */
  mode: number;
  /** The owner to give the file, when the process may (ignored otherwise). */
  uid?: number | undefined;
  /** The group to give the file, when the process may (ignored otherwise). */
  gid?: number | undefined;
}

async function syncDirectory(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms and file systems cannot fsync a directory (Windows, some network mounts).
    if (!['EISDIR', 'EINVAL', 'EPERM', 'ENOTSUP', 'EBADF'].includes(errnoCode(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Replaces `path` atomically: writes a temporary file in the same folder, fsyncs it, renames it over `path` and
 * fsyncs the folder. A crash leaves the old file or the new one, never a truncated one; on error the temporary
 * file is removed. `path` must not be a symbolic link (resolve it first with `resolveWriteTarget`).
 *
 * @example
 * ```ts
 * await writeFileAtomic('/home/me/.docker/config.json', text, { mode: 0o600 });
 * ```
 *
 * @param path - the file to replace or create.
 * @param data - its new content.
 * @param options - mode and owner; see {@link AtomicWriteOptions}.
 * @throws the system error of the failing step (the caller maps it).
 */
export async function writeFileAtomic(path: string, data: string, options: AtomicWriteOptions): Promise<void> {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', options.mode);
  let renamed = false;
  try {
    try {
      await handle.chmod(options.mode); // open() applies the umask; the mode must be exact.
      if (options.uid !== undefined && options.gid !== undefined) {
        await handle.chown(options.uid, options.gid).catch((error: unknown) => {
          if (errnoCode(error) !== 'EPERM' && errnoCode(error) !== 'EINVAL') throw error;
        });
      }
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
    renamed = true;
    await syncDirectory(folder);
  } finally {
    if (!renamed) await unlink(temporary).catch(() => undefined);
  }
}
