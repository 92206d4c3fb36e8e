import type { AuthDocument, AuthEntry } from './auth-document.js';
import { hostOfKey, isHostTwin } from './auth-keys.js';
import type { ShadowSource } from './errors.js';
import { setOwn } from './json-text.js';

/** The credential fields of an entry: replaced together, so a stale `identitytoken` cannot win over `auth`. */
const CREDENTIAL_FIELDS = new Set(['auth', 'username', 'password', 'identitytoken', 'registrytoken']);

/** One entry to write: its `auths` key and the value of its `auth` field. */
export interface AuthEntryUpdate {
  /** The `auths` key: a bare host, or `host/ns/repo` in containers-auth.json. */
  key: string;
  /** Base64 of `user:password`. */
  auth: string;
}

/** What {@link setAuthEntries} returns. */
export interface SetAuthEntriesResult {
  /** The new document. */
  document: AuthDocument;
  /** The stale twin keys (`https://host`, `host/`...) that were removed. */
  removedTwins: string[];
}

/** What {@link removeAuthEntries} returns. */
export interface RemoveAuthEntriesResult {
  /** The new document. */
  document: AuthDocument;
  /** The keys that were removed. */
  removed: string[];
}

/** A credential helper that the tool consults for a host instead of `auths`. */
export interface ConfiguredHelper {
  /** Where it is configured. */
  source: ShadowSource;
  /** Its name (`docker-credential-<helper>`). */
  helper: string;
}

/**
 * The credential helper a tool would use for `host` instead of the file's `auths`: `credHelpers[host]`, else
 * (Docker only) `credsStore`.
 *
 * @example
 * ```ts
 * findConfiguredHelper({ credsStore: 'desktop' }, '127.0.0.1:5000', { honorsCredsStore: true });
 * // → { source: 'credsStore', helper: 'desktop' }
 * ```
 *
 * @param document - the auth document.
 * @param host - the bare registry host.
 * @param options - `honorsCredsStore`: `true` for Docker, `false` for the containers tools (they ignore it).
 * @returns the helper, or `undefined` when the tool reads `auths`.
 */
export function findConfiguredHelper(document: AuthDocument, host: string, options: { honorsCredsStore: boolean }): ConfiguredHelper | undefined {
  const perHost = document.credHelpers?.[host];
  if (typeof perHost === 'string' && perHost !== '') return { source: 'credHelpers', helper: perHost };
  if (options.honorsCredsStore && typeof document.credsStore === 'string' && document.credsStore !== '') {
    return { source: 'credsStore', helper: document.credsStore };
  }
  return undefined;
}

function mergeEntry(existing: AuthEntry | undefined, auth: string): AuthEntry {
  const kept: AuthEntry = {};
  for (const [name, value] of Object.entries(existing ?? {})) if (!CREDENTIAL_FIELDS.has(name)) setOwn(kept, name, value);
  return { auth, ...kept };
}

/**
 * Sets `auths` entries in a document, keeping everything else: other registries, unknown top-level keys, and
 * unknown keys inside a replaced entry (its credential fields `auth`, `username`, `password`, `identitytoken`,
 * `registrytoken` are replaced together). A stale twin of a host-level key (`https://host`, `host/`, `https://host/v1/`: see `isHostTwin`) is removed. Pure: the
 * input is not modified.
 *
 * @example
 * ```ts
 * const next = setAuthEntries(current, [{ key: token.registry, auth: token.revealBasicAuth() }]);
 * ```
 *
 * @param document - the current document.
 * @param updates - the entries to set.
 * @returns the new document and the twin keys that were removed.
 */
export function setAuthEntries(document: AuthDocument, updates: readonly AuthEntryUpdate[]): SetAuthEntriesResult {
  const current = document.auths ?? {};
  const wanted = new Map(updates.map((u) => [u.key, u.auth]));
  // Every key set may have twins; a repository-scoped one never does (isHostTwin compares bare hosts).
  const setKeys = [...wanted.keys()];
  const auths: Record<string, AuthEntry> = {};
  const removedTwins: string[] = [];
  for (const [key, entry] of Object.entries(current)) {
    const auth = wanted.get(key);
    if (auth !== undefined) {
      setOwn(auths, key, mergeEntry(entry, auth));
      wanted.delete(key);
    } else if (setKeys.some((host) => isHostTwin(key, host))) {
      removedTwins.push(key);
    } else {
      setOwn(auths, key, entry);
    }
  }
  for (const [key, auth] of wanted) setOwn(auths, key, { auth });
  return { document: { ...document, auths }, removedTwins };
}

/** Options of {@link removeAuthEntries}. */
export interface RemoveAuthEntriesOptions {
  /**
   * Also remove repository-scoped keys `host/...` of every host-level key given.
   *
   * @defaultValue `false`
   */
  includeScoped?: boolean;
}

/**
 * Removes `auths` entries (logout), with the twins of host-level keys (`https://host`, `http://host/`, `host/`,
 * `https://host/v2/`: see `isHostTwin`). Everything else is kept.
 * Pure: the input is not modified.
 *
 * @example
 * ```ts
 * const { document, removed } = removeAuthEntries(current, ['127.0.0.1:5000']);
 * ```
 *
 * @param document - the current document.
 * @param keys - the keys to remove (bare hosts, or `host/ns/repo`).
 * @param options - see {@link RemoveAuthEntriesOptions}.
 * @returns the new document and the keys that were removed.
 */
export function removeAuthEntries(document: AuthDocument, keys: readonly string[], options: RemoveAuthEntriesOptions = {}): RemoveAuthEntriesResult {
  if (document.auths === undefined || document.auths === null) return { document, removed: [] };
  const exact = new Set(keys);
  const hosts = keys.filter((key) => !key.includes('/'));
  const sameHost = (key: string): boolean => hosts.some((host) => host.toLowerCase() === key.toLowerCase());
  const auths: Record<string, AuthEntry> = {};
  const removed: string[] = [];
  for (const [key, entry] of Object.entries(document.auths)) {
    // Any key of a host given (host/..., or http(s)://host/... which is a twin anyway).
    const scoped = options.includeScoped === true && hosts.some((host) => host.toLowerCase() === hostOfKey(key).toLowerCase());
    if (exact.has(key) || sameHost(key) || scoped || hosts.some((host) => isHostTwin(key, host))) removed.push(key);
    else setOwn(auths, key, entry);
  }
  return { document: { ...document, auths }, removed };
}
