import { type AuthorizationToken, InvalidOptionError } from 'ecr-auth';
import type { AuthDocument } from './auth-document.js';
import { findConfiguredHelper, removeAuthEntries, setAuthEntries } from './auth-entries.js';
import { assertRegistryHost, hostOfKey } from './auth-keys.js';
import { type CredentialHelperOptions, storeInCredentialHelper } from './credential-helper.js';
import { EntryShadowedError } from './errors.js';
import type { FileLockOptions } from './file-lock.js';
import { readAuthFile } from './read-auth-file.js';
import { updateAuthFile } from './update-auth-file.js';

/**
 * What to do when the tool would never read an entry because a credential helper is configured for its host
 * (`credHelpers[host]`, or Docker's `credsStore`):
 * - `'error'` (default): write nothing and throw `EntryShadowedError`, naming the key and the fix;
 * - `'store-in-helper'`: store the credentials through that helper (`docker-credential-<name> store`), as
 *   `docker login` does, and write the other entries to the file.
 */
export type ShadowedPolicy = 'error' | 'store-in-helper';

/** One entry to write: an `auths` key and the token whose credentials go there. */
export interface AuthEntryRequest {
  /** The `auths` key: a bare host, or `host/ns/repo` (containers-auth.json only). */
  key: string;
  /** The token; its password goes into the entry. */
  token: AuthorizationToken;
}

/**
 * Options shared by the writers of every format.
 *
 * @example
 * ```ts
 * await writeContainersAuth(token, { shadowed: 'store-in-helper', lock: { timeoutMs: 5_000 }, signal: controller.signal });
 * ```
 */
export interface AuthWriteOptions {
  /**
   * See {@link ShadowedPolicy}.
   *
   * @defaultValue `'error'`
   */
  shadowed?: ShadowedPolicy;
  /**
   * Our own credential helper's name: a `credHelpers[host]` (or `credsStore`) naming it serves the host already,
   * so the entry is reported as `served-by-helper` and not written.
   *
   * @defaultValue `'ecr-auth'`
   */
  ownHelper?: string;
  /**
   * How to run a credential helper for `shadowed: 'store-in-helper'`.
   *
   * @defaultValue `docker-credential-<name>` from `PATH`, with the defaults of `CredentialHelperOptions`
   */
  credentialHelper?: CredentialHelperOptions;
  /**
   * How the cross-process lock waits.
   *
   * @defaultValue the defaults of {@link FileLockOptions}
   */
  lock?: FileLockOptions;
  /**
   * Ends a wait for the file's lock, or a credential helper still running, at once (e.g. on Ctrl-C), rejecting
   * with `signal.reason`; nothing is written.
   *
   * @example
   * ```ts
   * await writeContainersAuth(token, { signal: AbortSignal.timeout(5_000) });
   * ```
   */
  signal?: AbortSignal | undefined;
}

/** Where the credentials of one entry ended up. */
export type EntryStorage = 'file' | 'served-by-helper' | 'credential-helper';

/** One entry of a write result. Never holds the password. */
export interface WrittenEntry {
  /** The `auths` key. */
  key: string;
  /** The registry host. */
  registry: string;
  /** Where the credentials are: the file, our own helper (nothing written), or a configured helper (stored there). */
  storage: EntryStorage;
  /** The helper involved, for `served-by-helper` and `credential-helper`. */
  helper?: string;
  /** When the credentials stop working. */
  expiresAt: Date;
}

/** What a write did. Never holds the password. */
export interface AuthFileWriteResult {
  /** The auth file path (as resolved or given). */
  path: string;
  /** The real file, after following symbolic links. */
  target: string;
  /** Whether the file was created. */
  created: boolean;
  /** Whether the file's content changed. */
  changed: boolean;
  /** The registries written (unique hosts, in order). */
  registries: string[];
  /** Each entry and where it went. */
  entries: WrittenEntry[];
  /** Stale `https://host` twin keys that were removed. */
  removedTwins: string[];
  /** The earliest expiry among the entries. */
  expiresAt: Date;
}

/** What a removal (logout) did. */
export interface AuthFileRemoveResult {
  /** The auth file path (as resolved or given). */
  path: string;
  /** The real file, after following symbolic links. */
  target: string;
  /** Whether the file's content changed. */
  changed: boolean;
  /** The keys removed (with twins and, if asked, scoped keys). */
  removed: string[];
}

/**
 * Turns tokens (and an optional registry override for a single token) into the list of tokens to write, each
 * addressed to its registry.
 *
 * @example
 * ```ts
 * addressTokens(token, '127.0.0.1:5000').map((t) => t.registry); // → ['127.0.0.1:5000']
 * ```
 *
 * @param tokens - one token or several.
 * @param registry - the registry to address a single token to (e.g. a local registry `127.0.0.1:5000`).
 * @returns the tokens, each with a checked bare host as `registry`.
 * @throws InvalidOptionError when `registry` is given with several tokens or is not a bare host.
 */
export function addressTokens(tokens: AuthorizationToken | readonly AuthorizationToken[], registry?: string): AuthorizationToken[] {
  const list: AuthorizationToken[] = Array.isArray(tokens) ? [...(tokens as readonly AuthorizationToken[])] : [tokens as AuthorizationToken];
  if (list.length === 0) throw new InvalidOptionError('no token given');
  if (registry !== undefined) {
    if (list.length !== 1) throw new InvalidOptionError('option "registry" needs exactly one token; address several with token.withRegistry(host)');
    const [only] = list as [AuthorizationToken];
    return [only.registry === registry ? only : only.withRegistry(assertRegistryHost(registry))];
  }
  for (const token of list) assertRegistryHost(token.registry);
  return list;
}

/**
 * Writes entries into an auth file of either format, safely (see `updateAuthFile`), minding credential helpers
 * that would shadow them. Shared by the Docker and containers-auth.json writers.
 *
 * @example
 * ```ts
 * await writeAuthEntries(path, [{ key: token.registry, token }], { honorsCredsStore: true });
 * ```
 *
 * @param path - the auth file.
 * @param requests - the entries.
 * @param options - `honorsCredsStore` (Docker: `true`) and {@link AuthWriteOptions}.
 * @returns what was written, without secrets.
 * @throws EntryShadowedError (nothing written) with the default policy; file errors of `updateAuthFile`;
 *   CredentialHelperError.
 */
export async function writeAuthEntries(path: string, requests: readonly AuthEntryRequest[], options: AuthWriteOptions & { honorsCredsStore: boolean }): Promise<AuthFileWriteResult> {
  const ownHelper = options.ownHelper ?? 'ecr-auth';
  const helperOf = (document: AuthDocument, key: string) => findConfiguredHelper(document, hostOfKey(key), { honorsCredsStore: options.honorsCredsStore });
  // Credential helpers run first, outside the file's lock: one may take seconds (a keychain prompt), and every
  // other writer of the file would wait that long. A helper that fails leaves the file untouched.
  const stored = new Map<string, string>();
  if (options.shadowed === 'store-in-helper') {
    const document = (await readAuthFile(path))?.document ?? {};
    for (const { key, token } of requests) {
      const configured = helperOf(document, key);
      if (configured === undefined || configured.helper === ownHelper) continue;
      options.signal?.throwIfAborted();
      const host = hostOfKey(key);
      await storeInCredentialHelper(configured.helper, token.withRegistry(host), { ...options.credentialHelper, signal: options.signal ?? options.credentialHelper?.signal });
      stored.set(key, configured.helper);
    }
  }
  const update = await updateAuthFile(
    path,
    ({ document, target }) => {
      const entries: WrittenEntry[] = [];
      const toFile: { key: string; auth: string }[] = [];
      for (const { key, token } of requests) {
        const base = { key, registry: hostOfKey(key), expiresAt: token.expiresAt };
        const configured = helperOf(document, key);
        if (configured === undefined) {
          toFile.push({ key, auth: token.revealBasicAuth() });
          entries.push({ ...base, storage: 'file' });
        } else if (configured.helper === ownHelper) {
          entries.push({ ...base, storage: 'served-by-helper', helper: configured.helper });
        } else if (stored.get(key) === configured.helper) {
          entries.push({ ...base, storage: 'credential-helper', helper: configured.helper });
        } else {
          // The default policy; or the file named another helper by the time we held its lock.
          throw new EntryShadowedError(target, key, configured.source, configured.helper);
        }
      }
      if (toFile.length === 0) return { document: undefined, result: { entries, removedTwins: [] as string[] } };
      const next = setAuthEntries(document, toFile);
      return { document: next.document, result: { entries, removedTwins: next.removedTwins } };
    },
    { ...(options.lock ? { lock: options.lock } : {}), signal: options.signal },
  );
  const { entries, removedTwins } = update.result;
  return {
    path: update.path,
    target: update.target,
    created: update.created,
    changed: update.changed,
    registries: [...new Set(entries.map((e) => e.registry))],
    entries,
    removedTwins,
    expiresAt: new Date(Math.min(...entries.map((e) => e.expiresAt.getTime()))),
  };
}

/**
 * Options of {@link removeAuthFileEntries}.
 *
 * @example
 * ```ts
 * await removeAuthFileEntries(path, ['127.0.0.1:5000'], { includeScoped: true, signal: controller.signal });
 * ```
 */
export interface RemoveAuthFileEntriesOptions {
  /**
   * Also remove `host/...` keys of the hosts given.
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
  /** Ends a wait for the file's lock at once, rejecting with `signal.reason`; nothing is written. */
  signal?: AbortSignal | undefined;
}

/**
 * Removes entries (logout) from an auth file of either format, safely. A missing file is left missing.
 *
 * @example
 * ```ts
 * await removeAuthFileEntries(path, ['127.0.0.1:5000']);
 * ```
 *
 * @param path - the auth file.
 * @param keys - the keys to remove (their `https://` twins go too).
 * @param options - see {@link RemoveAuthFileEntriesOptions}.
 * @returns what was removed.
 */
export async function removeAuthFileEntries(path: string, keys: readonly string[], options: RemoveAuthFileEntriesOptions = {}): Promise<AuthFileRemoveResult> {
  const update = await updateAuthFile(
    path,
    ({ document }: { document: AuthDocument }) => {
      // Stryker disable next-line ConditionalExpression: { includeScoped: undefined } is read as not true, like {}
      const next = removeAuthEntries(document, keys, options.includeScoped === undefined ? {} : { includeScoped: options.includeScoped });
      // Stryker disable next-line ConditionalExpression,EqualityOperator: with nothing removed the document is the file's own, serialized to the same text, which updateAuthFile does not rewrite
      return { document: next.removed.length > 0 ? next.document : undefined, result: next.removed };
    },
    { create: false, ...(options.lock ? { lock: options.lock } : {}), signal: options.signal },
  );
  return { path: update.path, target: update.target, changed: update.changed, removed: update.result };
}
