import { randomBytes } from 'node:crypto';
import { type FileHandle, lstat, open, readdir, rename, unlink } from 'node:fs/promises';
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

/**
 * Test seam, not part of the package's API (index.ts does not export it): how a folder is opened for its fsync. A
 * test makes it fail as Windows does (EISDIR), which a Linux test process cannot otherwise see.
 */
export const atomicSeams = {
  openFolder: (path: string): Promise<FileHandle> => open(path, 'r'),
};

// Some platforms and file systems cannot open or fsync a directory (Windows, some network mounts).
const NO_FOLDER_SYNC = new Set<string | undefined>(['EISDIR', 'EINVAL', 'EPERM', 'ENOTSUP', 'EBADF']);

async function syncDirectory(path: string): Promise<void> {
  let handle;
  try {
    handle = await atomicSeams.openFolder(path);
    await handle.sync();
  } catch (error) {
    if (!NO_FOLDER_SYNC.has(errnoCode(error))) throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * The name of a temporary file of ours beside `path`: `.<basename>.ecr-auth-<pid>-<random>.tmp`, so that strays
 * left by a crash can be recognised (and only ours removed).
 */
export function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.ecr-auth-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Temporary files of ours for `name` (and its lock): today's names, and the names of releases before 2026-11. */
function strayPattern(name: string): RegExp {
  const base = escapeRegExp(name);
  return new RegExp(`^\\.${base}(?:\\.lock(?:\\.break)?)?\\.ecr-auth-\\d+-[0-9a-z]+\\.tmp$|^\\.${base}\\.\\d+\\.[0-9a-f]{12}\\.tmp$`);
}

/**
 * Removes temporary files of ours beside `path` that are older than `olderThanMs` (left by a writer that was
 * killed): they may hold credentials. Never touches another file, a link, or anything that is not a regular file.
 *
 * @param path - the auth file.
 * @param olderThanMs - the least age of a stray, in milliseconds. Default 60 000 (a live write takes milliseconds).
 * @returns the names removed.
 */
export async function removeStrayTemporaryFiles(path: string, olderThanMs = 60_000): Promise<string[]> {
  const folder = dirname(path);
  const pattern = strayPattern(basename(path));
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!pattern.test(name)) continue;
    const stray = join(folder, name);
    try {
      const info = await lstat(stray);
      if (!info.isFile() || Date.now() - info.mtimeMs < olderThanMs) continue;
      await unlink(stray);
      removed.push(name);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed;
}

/**
 * Replaces `path` atomically: writes a temporary file (`.<name>.ecr-auth-<pid>-<random>.tmp`, created 0600) in the
 * same folder, fsyncs it, gives it `mode` and owner, renames it over `path` and fsyncs the folder. A crash leaves
 * the old file or the new one, never a truncated one; on error (a full disk...) the temporary file is removed.
 * `path` must not be a symbolic link (resolve it first with `resolveWriteTarget`).
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
  const temporary = temporaryName(path);
  const handle = await open(temporary, 'wx', 0o600);
  let renamed = false;
  try {
    try {
      // Stryker disable next-line StringLiteral: an empty encoding is read as utf8 too
      await handle.writeFile(data, 'utf8');
      await handle.chmod(options.mode); // open() applies the umask; the mode must be exact.
      if (options.uid !== undefined && options.gid !== undefined) {
        await handle.chown(options.uid, options.gid).catch((error: unknown) => {
          if (errnoCode(error) !== 'EPERM' && errnoCode(error) !== 'EINVAL') throw error;
        });
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
    // Stryker disable next-line BooleanLiteral: after the rename the temporary name is gone; unlinking it again only fails with ENOENT, which is ignored
    renamed = true;
    await syncDirectory(folder);
  } finally {
    // Stryker disable next-line ConditionalExpression: same as above, an unlink of a name the rename took away is a no-op
    if (!renamed) await unlink(temporary).catch(() => undefined);
  }
}
