import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AuthorizationToken } from 'ecr-auth';
import type { AuthDocument } from './auth-document.js';
import { setAuthEntries } from './auth-entries.js';
import { registryHostOf, scopedKey } from './auth-keys.js';
import {
  type AuthEntryRequest,
  type AuthFileRemoveResult,
  type AuthFileWriteResult,
  type AuthWriteOptions,
  addressTokens,
  removeAuthFileEntries,
  writeAuthEntries,
} from './write-auth-entries.js';
import type { FileLockOptions } from './file-lock.js';

/** An environment to resolve paths in (defaults to `process.env`). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Where a containers-auth.json path came from. */
export type ContainersAuthPathSource = 'option' | 'REGISTRY_AUTH_FILE' | 'XDG_RUNTIME_DIR' | 'run-containers' | 'XDG_CONFIG_HOME' | 'home-config';

/** A resolved auth file path and where it came from. */
export interface ResolvedAuthPath<Source extends string> {
  /** The path. */
  path: string;
  /** Which rule chose it. */
  source: Source;
}

/** Options of {@link resolveContainersAuthPath}; each overrides what the process would use. */
export interface ContainersAuthPathOptions {
  /**
   * An explicit file (like `--authfile`): wins over everything.
   *
   * @defaultValue none: `$REGISTRY_AUTH_FILE`, then the runtime file
   */
  authFile?: string | undefined;
  /**
   * The environment.
   *
   * @defaultValue `process.env`
   */
  env?: Environment;
  /**
   * The home folder.
   *
   * @defaultValue `os.homedir()`
   */
  home?: string;
  /**
   * The user id for `/run/containers/$UID`.
   *
   * @defaultValue `process.getuid()`
   */
  uid?: number;
  /**
   * The platform (macOS and Windows use `~/.config/containers/auth.json`).
   *
   * @defaultValue `process.platform`
   */
  platform?: NodeJS.Platform;
  /**
   * Write the persistent file (`$XDG_CONFIG_HOME/containers/auth.json`, else `~/.config/containers/auth.json`)
   * instead of the runtime one, which a reboot clears. Note that the tools read the runtime file first.
   *
   * @defaultValue `false`
   */
  persistent?: boolean;
}

function configHomeFile(env: Environment, home: string): ResolvedAuthPath<ContainersAuthPathSource> {
  const xdg = env['XDG_CONFIG_HOME'];
  return xdg ? { path: join(xdg, 'containers', 'auth.json'), source: 'XDG_CONFIG_HOME' } : { path: join(home, '.config', 'containers', 'auth.json'), source: 'home-config' };
}

/**
 * The containers-auth.json file that `podman login` / `buildah login` / `skopeo login` write, resolved as they
 * resolve it: `authFile` (their `--authfile`), else `$REGISTRY_AUTH_FILE`, else
 * `$XDG_RUNTIME_DIR/containers/auth.json`, else `/run/containers/$UID/auth.json` (on macOS and Windows,
 * `~/.config/containers/auth.json`).
 *
 * @example
 * ```ts
 * resolveContainersAuthPath({ env: { XDG_RUNTIME_DIR: '/run/user/1000' } });
 * // → { path: '/run/user/1000/containers/auth.json', source: 'XDG_RUNTIME_DIR' }
 * ```
 *
 * @param options - see {@link ContainersAuthPathOptions}.
 * @returns the path and the rule that chose it.
 */
export function resolveContainersAuthPath(options: ContainersAuthPathOptions = {}): ResolvedAuthPath<ContainersAuthPathSource> {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  if (options.authFile) return { path: options.authFile, source: 'option' };
  if (env['REGISTRY_AUTH_FILE']) return { path: env['REGISTRY_AUTH_FILE'], source: 'REGISTRY_AUTH_FILE' };
  const platform = options.platform ?? process.platform;
  if (options.persistent === true || platform === 'darwin' || platform === 'win32') return configHomeFile(env, home);
  if (env['XDG_RUNTIME_DIR']) return { path: join(env['XDG_RUNTIME_DIR'], 'containers', 'auth.json'), source: 'XDG_RUNTIME_DIR' };
  // Stryker disable next-line OptionalChaining: getuid is missing only on Windows, which never gets here
  const uid = options.uid ?? process.getuid?.() ?? 0;
  return { path: `/run/containers/${uid}/auth.json`, source: 'run-containers' };
}

/**
 * Every file the containers tools read credentials from, in their order: the file of
 * {@link resolveContainersAuthPath}, then `$XDG_CONFIG_HOME/containers/auth.json` (else
 * `~/.config/containers/auth.json`), then Docker's `config.json`, then `~/.dockercfg`. The first file with an
 * entry for a registry wins, and `--authfile` does not stop the search: an entry in an earlier file shadows ours.
 *
 * @example
 * ```ts
 * containersAuthLookupPaths({ env: { XDG_RUNTIME_DIR: '/run/user/1000' }, home: '/home/ci', platform: 'linux' });
 * // → ['/run/user/1000/containers/auth.json', '/home/ci/.config/containers/auth.json',
 * //    '/home/ci/.docker/config.json', '/home/ci/.dockercfg']
 * ```
 *
 * @param options - see {@link ContainersAuthPathOptions} (`persistent` is ignored).
 * @returns the paths in lookup order, without duplicates.
 */
export function containersAuthLookupPaths(options: ContainersAuthPathOptions = {}): string[] {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const { persistent: _ignored, ...rest } = options;
  const first = resolveContainersAuthPath(rest).path;
  const docker = env['DOCKER_CONFIG'] ? join(env['DOCKER_CONFIG'], 'config.json') : join(home, '.docker', 'config.json');
  return [...new Set([first, configHomeFile(env, home).path, docker, join(home, '.dockercfg')])];
}

/** Options of the containers-auth.json transforms. */
export interface ContainersAuthEntryOptions {
  /**
   * Address a single token to this registry host instead of `token.registry` (e.g. `127.0.0.1:5000`).
   *
   * @defaultValue `token.registry`
   */
  registry?: string;
  /**
   * Scope the entries to these repositories (`ns/repo`): keys `host/ns/repo` instead of `host`. The tools pick
   * the longest matching key, so other repositories of the host keep their credentials.
   *
   * @defaultValue none: one key per host
   */
  repositories?: readonly string[];
}

/**
 * The `auths` keys and tokens to write for some tokens: one `host` key per token, or one `host/ns/repo` key per
 * token and repository. Pure.
 *
 * @example
 * ```ts
 * containersAuthRequests(token, { repositories: ['team/app'] });
 * // → [{ key: '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app', token }]
 * ```
 *
 * @param tokens - one token or several.
 * @param options - see {@link ContainersAuthEntryOptions}.
 * @returns the entry requests.
 * @throws InvalidOptionError on a bad registry or repository.
 */
export function containersAuthRequests(tokens: AuthorizationToken | readonly AuthorizationToken[], options: ContainersAuthEntryOptions = {}): AuthEntryRequest[] {
  const list = addressTokens(tokens, options.registry);
  const repositories = options.repositories ?? [];
  if (repositories.length === 0) return list.map((token) => ({ key: token.registry, token }));
  return list.flatMap((token) => repositories.map((repository) => ({ key: scopedKey(token.registry, repository), token })));
}

/**
 * The containers-auth.json document for some tokens, alone: `{"auths": {"<host>": {"auth": "<base64>"}}}`
 * (or `host/ns/repo` keys). Pure. The result holds secrets: write it with mode 0600.
 *
 * @example
 * ```ts
 * const document = toContainersAuthDocument(token, { repositories: ['team/app'] });
 * // → { auths: { '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app': { auth: 'QVdTOi...' } } }
 * ```
 *
 * @param tokens - one token or several.
 * @param options - see {@link ContainersAuthEntryOptions}.
 * @returns the document.
 */
export function toContainersAuthDocument(tokens: AuthorizationToken | readonly AuthorizationToken[], options: ContainersAuthEntryOptions = {}): AuthDocument {
  const updates = containersAuthRequests(tokens, options).map(({ key, token }) => ({ key, auth: token.revealBasicAuth() }));
  return setAuthEntries({}, updates).document;
}

/**
 * Merges tokens into an existing containers-auth.json document, keeping everything that is not ours. Pure.
 *
 * @example
 * ```ts
 * const parsed = parseAuthFile(await readFile(path), path);
 * const next = mergeContainersAuth(parsed.document, token, { repositories: ['team/app'] });
 * await writeFile(path, serializeAuthFile(next, parsed.indent, parsed), { mode: 0o600 });
 * ```
 *
 * @param document - the current document.
 * @param tokens - one token or several.
 * @param options - see {@link ContainersAuthEntryOptions}.
 * @returns the new document.
 */
export function mergeContainersAuth(document: AuthDocument, tokens: AuthorizationToken | readonly AuthorizationToken[], options: ContainersAuthEntryOptions = {}): AuthDocument {
  const updates = containersAuthRequests(tokens, options).map(({ key, token }) => ({ key, auth: token.revealBasicAuth() }));
  return setAuthEntries(document, updates).document;
}

/** Options of {@link writeContainersAuth}. */
export interface WriteContainersAuthOptions extends ContainersAuthPathOptions, ContainersAuthEntryOptions, AuthWriteOptions {}

/** What {@link writeContainersAuth} did: the write result and which rule chose the path. */
export interface ContainersAuthWriteResult extends AuthFileWriteResult {
  /** Which rule chose the path. */
  source: ContainersAuthPathSource;
}

/**
 * Writes tokens into containers-auth.json (Podman, Buildah, Skopeo) safely: merged into the existing file,
 * atomic, locked, mode kept. A host whose `credHelpers` entry sends the tools elsewhere is refused
 * (`EntryShadowedError`) unless `shadowed: 'store-in-helper'`, or reported as `served-by-helper` when the
 * helper is ours. `credsStore` is ignored, as the tools ignore it.
 *
 * @example
 * ```ts
 * const result = await writeContainersAuth(token, { authFile: '/tmp/auth.json' });
 * console.log(result.path, result.registries, result.expiresAt);
 * ```
 *
 * @param tokens - one token or several.
 * @param options - see {@link WriteContainersAuthOptions}.
 * @returns the path written, registries, expiry; never the password.
 */
export async function writeContainersAuth(tokens: AuthorizationToken | readonly AuthorizationToken[], options: WriteContainersAuthOptions = {}): Promise<ContainersAuthWriteResult> {
  const { path, source } = resolveContainersAuthPath(options);
  const result = await writeAuthEntries(path, containersAuthRequests(tokens, options), { ...options, honorsCredsStore: false });
  return { ...result, source };
}

/**
 * Options of {@link removeContainersAuth}.
 *
 * @example
 * ```ts
 * await removeContainersAuth('127.0.0.1:5000', { authFile: '/ci/auth.json', includeScoped: true, signal: controller.signal });
 * ```
 */
export interface RemoveContainersAuthOptions extends ContainersAuthPathOptions {
  /**
   * Also remove the repository-scoped keys (`host/...`) of each host.
   *
   * @defaultValue `false`
   */
  includeScoped?: boolean;
  /**
   * How the cross-process lock waits.
   *
   * @defaultValue the defaults of {@link FileLockOptions}
   */
  lock?: FileLockOptions;
  /**
   * Ends a wait for the file's lock at once (e.g. on Ctrl-C), rejecting with `signal.reason`; nothing is written.
   *
   * @example
   * ```ts
   * await removeContainersAuth(host, { signal: AbortSignal.timeout(5_000) });
   * ```
   */
  signal?: AbortSignal | undefined;
}

/** What {@link removeContainersAuth} did: the removal result and which rule chose the path. */
export interface ContainersAuthRemoveResult extends AuthFileRemoveResult {
  /** Which rule chose the path. */
  source: ContainersAuthPathSource;
}

/**
 * Removes registries from containers-auth.json (logout), with their `https://` twins; everything else stays.
 *
 * @example
 * ```ts
 * await removeContainersAuth(['127.0.0.1:5000'], { authFile: '/tmp/auth.json', includeScoped: true });
 * ```
 *
 * @param keys - hosts (any spelling: `https://host/` is `host`) or `host/ns/repo` keys.
 * @param options - see {@link RemoveContainersAuthOptions}.
 * @returns what was removed and which file.
 */
export async function removeContainersAuth(keys: string | readonly string[], options: RemoveContainersAuthOptions = {}): Promise<ContainersAuthRemoveResult> {
  const { path, source } = resolveContainersAuthPath(options);
  const list = (typeof keys === 'string' ? [keys] : keys).map(registryHostOf);
  // Stryker disable next-line ConditionalExpression: { includeScoped: undefined } is read as not true, like {}
  const result = await removeAuthFileEntries(path, list, { ...(options.includeScoped === undefined ? {} : { includeScoped: options.includeScoped }), ...(options.lock ? { lock: options.lock } : {}), signal: options.signal });
  return { ...result, source };
}
