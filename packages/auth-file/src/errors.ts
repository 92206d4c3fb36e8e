import { EcrAuthError, type EcrAuthErrorCode, type EcrAuthErrorOptions } from 'ecr-auth';

/**
 * Stable codes of the errors thrown by `@ecr-auth/auth-file` and the adapters built on it.
 * Branch on these (or on the subclasses), never on message text.
 *
 * - `ECR_AUTH_FILE_INVALID`: an existing auth file does not parse or has the wrong shape, or something other than a
 *   regular file sits where it belongs (`AuthFileNotRegularError`); it was left untouched.
 * - `ECR_AUTH_FILE_ACCESS`: the file or its folder cannot be read or written (permissions, read-only mount...).
 * - `ECR_AUTH_FILE_LOCK_TIMEOUT`: another writer held the file's lock for longer than the bounded wait.
 * - `ECR_AUTH_ENTRY_SHADOWED`: the entry would be written where the tool never reads it (a credential helper wins).
 * - `ECR_AUTH_CREDENTIAL_HELPER_FAILED`: `docker-credential-<name> store|erase` failed.
 * - `ECR_AUTH_TOOL_LOGIN_FAILED`: `docker|podman|buildah login` failed.
 */
export type AuthFileErrorCode = Extract<
  EcrAuthErrorCode,
  | 'ECR_AUTH_FILE_INVALID'
  | 'ECR_AUTH_FILE_ACCESS'
  | 'ECR_AUTH_FILE_LOCK_TIMEOUT'
  | 'ECR_AUTH_ENTRY_SHADOWED'
  | 'ECR_AUTH_CREDENTIAL_HELPER_FAILED'
  | 'ECR_AUTH_TOOL_LOGIN_FAILED'
>;

/**
 * Base class of every error about auth files, credential helpers and tool logins. It is an
 * `EcrAuthError` (from `ecr-auth`): messages start with `ecr-auth:` and never contain a password or token.
 *
 * @example
 * ```ts
 * try {
 *   await writeContainersAuth(token);
 * } catch (error) {
 *   if (error instanceof AuthFileError && error.code === 'ECR_AUTH_FILE_INVALID') console.error(error.message);
 *   else throw error;
 * }
 * ```
 */
export class AuthFileError extends EcrAuthError {
  /** A stable code for this kind of failure. */
  declare readonly code: AuthFileErrorCode;

  /**
   * @param code - the stable code of this failure.
   * @param message - what went wrong and what to do, without any secret.
   * @param options - the `cause`, if any.
   */
  constructor(code: AuthFileErrorCode, message: string, options: EcrAuthErrorOptions = {}) {
    super(code, message, options);
  }
}

/**
 * What is wrong with an existing auth file (the `problem` of {@link AuthFileInvalidError}).
 *
 * @example
 * ```ts
 * if (error instanceof AuthFileInvalidError && error.problem === 'duplicate-key') console.error(`a key appears twice in ${error.path}`);
 * ```
 */
export type AuthFileProblem =
  | 'not-json'
  | 'not-an-object'
  | 'auths-not-an-object'
  | 'entry-not-an-object'
  | 'cred-helpers-not-an-object'
  | 'creds-store-not-a-string'
  | 'duplicate-key'
  | 'not-utf8'
  | 'too-deep'
  | 'not-a-regular-file';

/**
 * An existing auth file does not parse or is not shaped as the tools expect. It was left byte-for-byte untouched.
 *
 * @example
 * ```ts
 * try { await writeContainersAuth(token); } catch (error) {
 *   if (error instanceof AuthFileInvalidError) console.error(`fix ${error.path} (${error.problem}): ${error.message}`);
 *   else throw error;
 * }
 * ```
 */
export class AuthFileInvalidError extends AuthFileError {
  /** The file that was refused. */
  readonly path: string;
  /** What is wrong with it. */
  readonly problem: AuthFileProblem;

  /**
   * @param path - the refused file.
   * @param problem - what is wrong, as a code.
   * @param detail - what is wrong, in words (never the file's content).
   */
  constructor(path: string, problem: AuthFileProblem, detail: string) {
    super('ECR_AUTH_FILE_INVALID', `${path}: ${detail}; the file was left unchanged. Fix or move it, then retry.`);
    this.path = path;
    this.problem = problem;
  }
}

/**
 * What a path is, when it is not the regular file (or folder) that belongs there.
 *
 * @example
 * ```ts
 * if (error instanceof AuthFileNotRegularError && error.kind === 'fifo') console.error('a named pipe sits where the auth file belongs');
 * ```
 */
export type PathKind = 'directory' | 'character-device' | 'block-device' | 'fifo' | 'socket' | 'symbolic-link' | 'regular-file' | 'unknown';

const KIND_WORDS: Record<PathKind, string> = {
  directory: 'a directory',
  'character-device': 'a character device',
  'block-device': 'a block device',
  fifo: 'a FIFO (named pipe)',
  socket: 'a socket',
  'symbolic-link': 'a symbolic link',
  'regular-file': 'a regular file',
  unknown: 'not a regular file',
};

/** `kind` in words, e.g. "a FIFO (named pipe)". Internal: messages only. */
export function describePathKind(kind: PathKind): string {
  return KIND_WORDS[kind];
}

/**
 * A directory, device, FIFO, socket (or a link to one) sits where a regular auth file (or its lock) belongs.
 * Nothing was read from it, created or replaced: writing there could replace `/dev/null` or hang on a FIFO.
 * Its `code` is `ECR_AUTH_FILE_INVALID` and `problem` is `not-a-regular-file`.
 *
 * @example
 * ```ts
 * try { await writeDockerConfig(token, { configDir: dir }); } catch (error) {
 *   if (error instanceof AuthFileNotRegularError) console.error(`${error.path} is ${error.kind}: point DOCKER_CONFIG elsewhere`);
 *   else throw error;
 * }
 * ```
 */
export class AuthFileNotRegularError extends AuthFileInvalidError {
  /** What the path is. */
  readonly kind: PathKind;

  /**
   * @param path - the path that is not a regular file.
   * @param kind - what it is.
   * @param detail - more about it (e.g. where a link points); optional.
   */
  constructor(path: string, kind: PathKind, detail?: string) {
    super(path, 'not-a-regular-file', `${detail ?? `it is ${KIND_WORDS[kind]}, where a regular auth file belongs`}; nothing was read from it, created or replaced`);
    this.kind = kind;
  }
}

/**
 * What kind of file a `Stats` describes, in the words of {@link PathKind}.
 *
 * @example
 * ```ts
 * pathKind(await lstat('/dev/null')); // → 'character-device'
 * ```
 *
 * @param stats - the result of `stat`, `lstat` or `fstat`.
 * @returns its kind.
 */
export function pathKind(stats: { isFile(): boolean; isDirectory(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isFIFO(): boolean; isSocket(): boolean; isSymbolicLink(): boolean }): PathKind {
  if (stats.isFile()) return 'regular-file';
  if (stats.isDirectory()) return 'directory';
  if (stats.isCharacterDevice()) return 'character-device';
  if (stats.isBlockDevice()) return 'block-device';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  if (stats.isSymbolicLink()) return 'symbolic-link';
  return 'unknown';
}

const OTHER_PATH = 'Choose another path (--authfile, DOCKER_CONFIG, REGISTRY_AUTH_FILE).';
const ACCESS_PROBLEMS: Record<string, [why: string, hint: string]> = {
  EACCES: ['permission denied', `Check the permissions of the file and its folder, or ${OTHER_PATH.charAt(0).toLowerCase()}${OTHER_PATH.slice(1)}`],
  EPERM: ['operation not permitted', 'Check the permissions and attributes of the file and its folder.'],
  EROFS: ['read-only file system', OTHER_PATH],
  ENOSPC: ['no space left on device', 'Free some space, then retry.'],
  EDQUOT: ['disk quota exceeded', 'Free some space, then retry.'],
  ENOENT: ['no such file or directory', ''],
  ENOTDIR: ['a part of the path is not a folder', OTHER_PATH],
  ENOTSUP: ['the file system does not allow it', OTHER_PATH],
  ELOOP: ['too many symbolic links', 'Fix the link chain.'],
  EIO: ['input/output error', ''],
};

/**
 * The auth file or its folder could not be read, created or replaced. Nothing was changed.
 *
 * @example
 * ```ts
 * try { await writeContainersAuth(token, { persistent: true }); } catch (error) {
 *   if (error instanceof AuthFileAccessError && error.syscallCode === 'EROFS') await writeContainersAuth(token, { authFile: '/tmp/auth.json' });
 *   else throw error;
 * }
 * ```
 */
export class AuthFileAccessError extends AuthFileError {
  /** The path that could not be accessed. */
  readonly path: string;
  /** The system error code (`EACCES`, `EROFS`, `EPERM`, ...), when there is one. */
  readonly syscallCode: string | undefined;

  /**
   * @param path - the path that could not be accessed.
   * @param action - what was attempted, e.g. `write` or `create the folder of`.
   * @param cause - the system error.
   */
  constructor(path: string, action: string, cause: unknown) {
    const syscallCode = errnoCode(cause);
    // Stryker disable next-line StringLiteral: '' and any other text that is not an error code find no row alike
    const row = ACCESS_PROBLEMS[syscallCode ?? ''];
    const [why, hint] = row ?? [syscallCode ?? 'unknown error', ''];
    super('ECR_AUTH_FILE_ACCESS', `cannot ${action} ${path}: ${why}. Nothing was changed.${hint ? ` ${hint}` : ''}`, { cause });
    this.path = path;
    this.syscallCode = syscallCode;
  }
}

/**
 * Another writer held the lock of the auth file for longer than the bounded wait. Nothing was changed.
 *
 * @example
 * ```ts
 * try { await writeContainersAuth(token, { lock: { timeoutMs: 5_000 } }); } catch (error) {
 *   if (error instanceof AuthFileLockTimeoutError) console.error(`${error.lockPath} stayed held for ${error.waitedMs} ms`);
 *   else throw error;
 * }
 * ```
 */
export class AuthFileLockTimeoutError extends AuthFileError {
  /** The auth file. */
  readonly path: string;
  /** The lock file that stayed held. */
  readonly lockPath: string;
  /** How long we waited, in milliseconds. */
  readonly waitedMs: number;

  /**
   * @param path - the auth file.
   * @param lockPath - the lock file.
   * @param waitedMs - how long we waited.
   */
  constructor(path: string, lockPath: string, waitedMs: number) {
    super(
      'ECR_AUTH_FILE_LOCK_TIMEOUT',
      `${path} is locked by another writer (${lockPath}) and stayed locked for ${waitedMs} ms. Retry; if no other writer runs, delete the lock file.`,
    );
    this.path = path;
    this.lockPath = lockPath;
    this.waitedMs = waitedMs;
  }
}

/** Where a shadowing credential helper is configured. */
export type ShadowSource = 'credsStore' | 'credHelpers';

/**
 * An entry would be written where the tool never reads it: `credsStore` (Docker only) or `credHelpers[host]`
 * sends the tool to a credential helper instead. Nothing was written.
 *
 * @example
 * ```ts
 * try { await writeContainersAuth(token); } catch (error) {
 *   if (error instanceof EntryShadowedError) await writeContainersAuth(token, { shadowed: 'store-in-helper' });
 *   else throw error;
 * }
 * ```
 */
export class EntryShadowedError extends AuthFileError {
  /** The auth file. */
  readonly path: string;
  /** The `auths` key that would be shadowed. */
  readonly key: string;
  /** Which setting shadows it. */
  readonly source: ShadowSource;
  /** The helper name configured there (`docker-credential-<helper>`). */
  readonly helper: string;

  /**
   * @param path - the auth file.
   * @param key - the shadowed `auths` key.
   * @param source - `credsStore` or `credHelpers`.
   * @param helper - the configured helper name.
   */
  constructor(path: string, key: string, source: ShadowSource, helper: string) {
    const setting = source === 'credsStore' ? `"credsStore": "${helper}"` : `"credHelpers": {"${hostOfKey(key)}": "${helper}"}`;
    super(
      'ECR_AUTH_ENTRY_SHADOWED',
      `${path}: auths["${key}"] would never be read because ${setting} sends the tool to docker-credential-${helper}. ` +
        `Store through the helper (option shadowed: 'store-in-helper'), point credHelpers["${hostOfKey(key)}"] at "ecr-auth", or remove that setting.`,
    );
    this.path = path;
    this.key = key;
    this.source = source;
    this.helper = helper;
  }
}

/**
 * `docker-credential-<helper> store|erase` failed. Its output is included with any secret redacted.
 *
 * @example
 * ```ts
 * try { await eraseFromCredentialHelper('desktop', '127.0.0.1:5000'); } catch (error) {
 *   if (error instanceof CredentialHelperError) console.error(`docker-credential-${error.helper}: ${error.output}`);
 *   else throw error;
 * }
 * ```
 */
export class CredentialHelperError extends AuthFileError {
  /** The helper name (`docker-credential-<helper>`). */
  readonly helper: string;
  /** The helper's exit code, or `undefined` when it could not be started or was killed. */
  readonly exitCode: number | undefined;
  /** What the helper printed (helpers print errors on stdout), secrets redacted, truncated. */
  readonly output: string;

  /**
   * @param helper - the helper name.
   * @param action - `store` or `erase`.
   * @param exitCode - its exit code.
   * @param output - what it printed, already redacted.
   * @param cause - a spawn error, if any.
   */
  constructor(helper: string, action: string, exitCode: number | undefined, output: string, cause?: unknown) {
    const how = exitCode === undefined ? 'could not run' : `exited with ${exitCode}`;
    super('ECR_AUTH_CREDENTIAL_HELPER_FAILED', `docker-credential-${helper} ${action} ${how}${output ? `: ${output}` : ''}`, cause === undefined ? {} : { cause });
    this.helper = helper;
    this.exitCode = exitCode;
    this.output = output;
  }
}

/**
 * `docker login`, `podman login` or `buildah login` failed. Its stderr is included with any secret redacted.
 *
 * @example
 * ```ts
 * try { await containersToolLogin('podman', token); } catch (error) {
 *   if (error instanceof ToolLoginError) console.error(`${error.tool} exited with ${error.exitCode}: ${error.stderr}`);
 *   else throw error;
 * }
 * ```
 */
export class ToolLoginError extends AuthFileError {
  /** The tool command that was run. */
  readonly tool: string;
  /** The tool's exit code, or `undefined` when it could not be started or was killed. */
  readonly exitCode: number | undefined;
  /** The tool's stderr, secrets redacted, truncated. */
  readonly stderr: string;

  /**
   * @param tool - the command that was run.
   * @param registry - the registry of the login.
   * @param exitCode - its exit code.
   * @param stderr - its stderr, already redacted.
   * @param cause - a spawn error, if any.
   */
  constructor(tool: string, registry: string, exitCode: number | undefined, stderr: string, cause?: unknown) {
    const how = exitCode === undefined ? 'could not run' : `exited with ${exitCode}`;
    super('ECR_AUTH_TOOL_LOGIN_FAILED', `${tool} login ${registry} ${how}${stderr ? `: ${stderr}` : ''}`, cause === undefined ? {} : { cause });
    this.tool = tool;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/**
 * The `code` of a Node system error (`ENOENT`, `EACCES`, ...), if `error` is one.
 *
 * @example
 * ```ts
 * try { await unlink(path); } catch (error) {
 *   if (errnoCode(error) !== 'ENOENT') throw error;
 * }
 * ```
 *
 * @param error - anything caught.
 * @returns the code, or `undefined`.
 */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

function hostOfKey(key: string): string {
  return key.replace(/^https?:\/\//i, '').split('/')[0] ?? key;
}
