import { access, constants, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type AuthDocument, type JsonIndent, parseAuthFile, serializeAuthFile } from './auth-document.js';
import { writeFileAtomic } from './atomic-write.js';
import { AuthFileAccessError, AuthFileError, errnoCode } from './errors.js';
import { type FileLockOptions, withFileLock } from './file-lock.js';
import { resolveWriteTarget } from './write-target.js';

/** Options of {@link updateAuthFile}. */
export interface UpdateAuthFileOptions {
  /** Create the file (0600, in a new 0700 folder) when it does not exist. Default `true`; `false` for a logout. */
  create?: boolean;
  /** The indentation of a new file. Default a tab, as the tools write. */
  newFileIndent?: JsonIndent;
  /** How the cross-process lock waits; see {@link FileLockOptions}. */
  lock?: FileLockOptions;
  /**
   * Stops waiting for the lock at once when aborted, rejecting with `signal.reason`; nothing is written (an
   * abort after the new content is computed but before it is written also writes nothing).
   */
  signal?: AbortSignal | undefined;
}

/** What the update callback of {@link updateAuthFile} receives. */
export interface AuthFileSnapshot {
  /** The current document (empty when the file does not exist). */
  document: AuthDocument;
  /** Whether the file exists. */
  exists: boolean;
  /** The real file, after following symbolic links. */
  target: string;
}

/** What the update callback of {@link updateAuthFile} returns. */
export interface AuthFileChange<T> {
  /** The new document, or `undefined` to leave the file as it is. */
  document?: AuthDocument | undefined;
  /** Any value to hand back to the caller. */
  result: T;
}

/** What {@link updateAuthFile} did. */
export interface AuthFileUpdateResult<T> {
  /** The path that was asked for. */
  path: string;
  /** The real file written, after following symbolic links (equals `path` unless it is a link). */
  target: string;
  /** Whether the file was created. */
  created: boolean;
  /** Whether the file's content changed (an identical document is not rewritten). */
  changed: boolean;
  /** What the callback returned. */
  result: T;
}

function wrap(path: string, action: string, error: unknown): never {
  if (error instanceof AuthFileError) throw error;
  if (errnoCode(error) !== undefined) throw new AuthFileAccessError(path, action, error);
  throw error;
}

/**
 * The one safe read-modify-write of auth files: under a cross-process lock, reads and checks the file, lets
 * `update` compute the new document, and replaces the file atomically (temporary file, fsync, rename, fsync of
 * the folder). An existing file keeps its mode and owner and its indentation; a new file is 0600 in a new 0700
 * folder; a symbolic link is written through (the link is kept). A file that does not parse is refused and left
 * byte-for-byte untouched; an unwritable file or folder gives a clear error and leaves nothing behind.
 *
 * @example
 * ```ts
 * await updateAuthFile('/home/me/.docker/config.json', ({ document }) => ({
 *   document: setAuthEntries(document, [{ key: token.registry, auth: token.revealBasicAuth() }]).document,
 *   result: undefined,
 * }));
 * ```
 *
 * @param path - the auth file.
 * @param update - computes the new document from the current one; may throw to abort without writing.
 * @param options - see {@link UpdateAuthFileOptions}.
 * @returns what was done, and what `update` returned.
 * @throws AuthFileInvalidError, AuthFileAccessError, AuthFileLockTimeoutError, or what `update` throws.
 */
export async function updateAuthFile<T>(
  path: string,
  update: (snapshot: AuthFileSnapshot) => AuthFileChange<T> | Promise<AuthFileChange<T>>,
  options: UpdateAuthFileOptions = {},
): Promise<AuthFileUpdateResult<T>> {
  const target = await resolveWriteTarget(path);
  const folder = dirname(target);
  const folderExists = await stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!folderExists) {
    if (options.create === false) {
      const change = await update({ document: {}, exists: false, target });
      return { path, target, created: false, changed: false, result: change.result };
    }
    await mkdir(folder, { recursive: true, mode: 0o700 }).catch((error: unknown) => wrap(folder, 'create the folder', error));
  }
  return withFileLock(
    `${target}.lock`,
    target,
    async () => {
      let text: string | undefined;
      try {
        text = await readFile(target, 'utf8');
      } catch (error) {
        if (errnoCode(error) !== 'ENOENT') wrap(target, 'read', error);
      }
      const exists = text !== undefined;
      const parsed = exists ? parseAuthFile(text ?? '', target) : { document: {}, indent: options.newFileIndent ?? '\t' };
      const change = await update({ document: parsed.document, exists, target });
      if (change.document === undefined || (!exists && options.create === false)) {
        return { path, target, created: false, changed: false, result: change.result };
      }
      (options.signal ?? options.lock?.signal)?.throwIfAborted();
      const next = serializeAuthFile(change.document, parsed.indent);
      if (exists && next === text) return { path, target, created: false, changed: false, result: change.result };
      let mode = 0o600;
      let uid: number | undefined;
      let gid: number | undefined;
      if (exists) {
        const info = await stat(target).catch((error: unknown) => wrap(target, 'inspect', error));
        mode = info.mode & 0o7777;
        uid = info.uid;
        gid = info.gid;
        // rename() only needs the folder to be writable: honour a read-only file explicitly.
        await access(target, constants.W_OK).catch((error: unknown) => wrap(target, 'write', error));
      }
      await writeFileAtomic(target, next, { mode, uid, gid }).catch((error: unknown) => wrap(target, 'write', error));
      return { path, target, created: !exists, changed: true, result: change.result };
    },
    { ...options.lock, signal: options.signal ?? options.lock?.signal },
  );
}
