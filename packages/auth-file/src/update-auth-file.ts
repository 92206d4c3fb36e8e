import { access, constants, lstat, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type AuthDocument, type JsonIndent, type ParsedAuthFile, parseAuthFile, serializeAuthFile } from './auth-document.js';
import { removeStrayTemporaryFiles, writeFileAtomic } from './atomic-write.js';
import { ensureFolder } from './ensure-folder.js';
import { AuthFileAccessError, AuthFileError, AuthFileNotRegularError, errnoCode, pathKind } from './errors.js';
import { readRegularFile } from './read-auth-file.js';
import { type FileLockOptions, withFileLock } from './file-lock.js';
import { resolveWriteTarget } from './write-target.js';

/**
 * Options of {@link updateAuthFile}.
 *
 * @example
 * ```ts
 * await updateAuthFile(path, update, { create: false, lock: { timeoutMs: 5_000 }, signal: controller.signal });
 * ```
 */
export interface UpdateAuthFileOptions {
  /**
   * Create the file (0600, in a new 0700 folder) when it does not exist.
   *
   * @defaultValue `true` (`false` for a logout)
   */
  create?: boolean;
  /**
   * The indentation of a new file.
   *
   * @defaultValue `'\t'` (a tab, as the tools write)
   */
  newFileIndent?: JsonIndent;
  /**
   * How the cross-process lock waits; see {@link FileLockOptions}.
   *
   * @defaultValue the defaults of {@link FileLockOptions}
   */
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
  // Stryker disable next-line ConditionalExpression: what wrap is given (from writeFileAtomic, lstat, access) is never an AuthFileError
  if (error instanceof AuthFileError) throw error;
  if (errnoCode(error) !== undefined) throw new AuthFileAccessError(path, action, error);
  throw error;
}

/**
 * The one safe read-modify-write of auth files: under a cross-process lock, reads and checks the file, lets
 * `update` compute the new document, and replaces the file atomically (temporary file, fsync, rename, fsync of
 * the folder). An existing file keeps its mode and owner and its indentation; a new file is 0600 in a new 0700
 * folder (missing folders are created one level at a time, so that a path under `/proc` fails at once); a
 * symbolic link is written through (the link is kept). A directory, device, FIFO or socket where the file belongs
 * (or at the end of its link) is refused before anything is read or created. A file that does not parse is
 * refused and left byte-for-byte untouched; an unwritable file or folder gives a clear error and leaves nothing
 * behind. Temporary files of ours older than a minute, left beside the file by a killed writer, are removed.
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
 * @throws AuthFileNotRegularError, AuthFileInvalidError, AuthFileAccessError, AuthFileLockTimeoutError,
 *   `signal.reason` when aborted, or what `update` throws.
 */
export async function updateAuthFile<T>(
  path: string,
  update: (snapshot: AuthFileSnapshot) => AuthFileChange<T> | Promise<AuthFileChange<T>>,
  options: UpdateAuthFileOptions = {},
): Promise<AuthFileUpdateResult<T>> {
  const signal = options.signal ?? options.lock?.signal;
  signal?.throwIfAborted();
  const target = await resolveWriteTarget(path);
  const folder = dirname(target);
  if (options.create === false) {
    const folderExists = await stat(folder).then(
      (s) => s.isDirectory(),
      // Stryker disable next-line ArrowFunction: undefined is as false here
      () => false,
    );
    if (!folderExists) {
      const change = await update({ document: {}, exists: false, target });
      return { path, target, created: false, changed: false, result: change.result };
    }
  } else {
    await ensureFolder(folder);
  }
  return withFileLock(
    `${target}.lock`,
    target,
    async () => {
      const found = await readRegularFile(target);
      const exists = found !== undefined;
      const parsed: ParsedAuthFile = found ? parseAuthFile(found.bytes, target) : { document: {}, indent: options.newFileIndent ?? '\t' };
      await removeStrayTemporaryFiles(target);
      const change = await update({ document: parsed.document, exists, target });
      if (change.document === undefined || (!exists && options.create === false)) {
        return { path, target, created: false, changed: false, result: change.result };
      }
      signal?.throwIfAborted();
      const next = serializeAuthFile(change.document, parsed.indent, parsed);
      if (exists && next === parsed.text) return { path, target, created: false, changed: false, result: change.result };
      // rename() only needs the folder to be writable: honour a read-only file explicitly. Root may write any file,
      // so only an unprivileged process sees this refusal: the child test run as nobody (update-auth-file.test.ts,
      // "a read-only file") checks it.
      // Stryker disable next-line ConditionalExpression,BlockStatement: as root (the tests) access(W_OK) always succeeds
      if (exists) {
        // Stryker disable next-line ArrowFunction,StringLiteral: as above
        await access(target, constants.W_OK).catch((error: unknown) => wrap(target, 'write', error));
      }
      await assertStillReplaceable(target);
      await writeFileAtomic(target, next, { mode: found?.mode ?? 0o600, uid: found?.uid, gid: found?.gid }).catch((error: unknown) => wrap(target, 'write', error));
      return { path, target, created: !exists, changed: true, result: change.result };
    },
    { ...options.lock, signal },
  );
}

/** Nothing but a regular file (or nothing) may be replaced: checked again just before the rename. */
async function assertStillReplaceable(target: string): Promise<void> {
  const info = await lstat(target).catch((error: unknown) => (errnoCode(error) === 'ENOENT' ? undefined : wrap(target, 'inspect', error)));
  if (info !== undefined && !info.isFile()) throw new AuthFileNotRegularError(target, pathKind(info));
}
