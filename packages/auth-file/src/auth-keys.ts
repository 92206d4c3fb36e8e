import { InvalidOptionError } from 'ecr-auth';

/**
 * The host part of an `auths` key, as the tools match it: the scheme (`http://`, `https://`) and any path are
 * dropped. `https://host/v1/` and `host/ns/repo` both give `host`.
 *
 * @example
 * ```ts
 * hostOfKey('https://index.docker.io/v1/'); // → 'index.docker.io'
 * hostOfKey('127.0.0.1:5000/team/app'); // → '127.0.0.1:5000'
 * ```
 *
 * @param key - an `auths` key.
 * @returns its host (with port, if any).
 */
export function hostOfKey(key: string): string {
  const bare = key.replace(/^https?:\/\//i, '');
  const slash = bare.indexOf('/');
  return slash === -1 ? bare : bare.slice(0, slash);
}

/**
 * Whether `key` is a stale twin of the host-level key `host`: a key with an `http://` or `https://` scheme that
 * the tools read as `host` (e.g. `https://host` or `https://host/v1/` left by an old `docker login`). Twins
 * are removed when `host` is written, so that the file holds one entry per registry.
 *
 * @example
 * ```ts
 * isSchemeTwin('https://127.0.0.1:5000/v1/', '127.0.0.1:5000'); // → true
 * isSchemeTwin('127.0.0.1:5000/team/app', '127.0.0.1:5000'); // → false (no scheme)
 * ```
 *
 * @param key - an existing `auths` key.
 * @param host - the bare host being written.
 * @returns `true` when `key` should be dropped.
 */
export function isSchemeTwin(key: string, host: string): boolean {
  return /^https?:\/\//i.test(key) && hostOfKey(key).toLowerCase() === host.toLowerCase();
}

const REGISTRY_PATHS = new Set(['', '/', '/v1', '/v1/', '/v2', '/v2/']);

/**
 * Whether `key` is another spelling of the host-level key `host`, which the tools read as `host`: with a scheme
 * (`https://host`, `http://host/`, `https://host/v1/`, any path), or without one but with a trailing `/`
 * (`host/`, `host/v1/`, `host/v2/`). Such twins are removed when `host` is written or removed, so that the file
 * holds one entry per registry. `host` itself is not its own twin.
 *
 * @example
 * ```ts
 * isHostTwin('https://127.0.0.1:5000', '127.0.0.1:5000'); // → true
 * isHostTwin('127.0.0.1:5000/v2/', '127.0.0.1:5000'); // → true
 * isHostTwin('127.0.0.1:5000/team/app', '127.0.0.1:5000'); // → false (a repository-scoped key)
 * ```
 *
 * @param key - an existing `auths` key.
 * @param host - the bare host being written or removed.
 * @returns `true` when `key` should go with `host`.
 */
export function isHostTwin(key: string, host: string): boolean {
  if (isSchemeTwin(key, host)) return true;
  if (!key.endsWith('/') || hostOfKey(key).toLowerCase() !== host.toLowerCase()) return false;
  return REGISTRY_PATHS.has(key.slice(hostOfKey(key).length));
}

/**
 * The bare registry host named by `reference`: a host, or a spelling of it found in auth files and user input
 * (`https://host`, `http://host/`, `https://host/v1/`, `host/`, `host/v2/`). Anything else is returned as given.
 *
 * @example
 * ```ts
 * registryHostOf('https://123456789012.dkr.ecr.us-east-1.amazonaws.com/'); // → '123456789012.dkr.ecr.us-east-1.amazonaws.com'
 * registryHostOf('127.0.0.1:5000/team/app'); // → '127.0.0.1:5000/team/app' (a repository, not a spelling of the host)
 * ```
 *
 * @param reference - a host or one of its spellings.
 * @returns the bare host, or `reference` unchanged.
 */
export function registryHostOf(reference: string): string {
  const host = hostOfKey(reference);
  if (/^https?:\/\//i.test(reference)) return host;
  // The bare host itself comes back as it is; host/ and host/v2/ are spellings of it; host/v2 is a repository.
  return REGISTRY_PATHS.has(reference.slice(host.length)) && reference.endsWith('/') ? host : reference;
}

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/**
 * Checks a registry host (`host` or `host:port`, no scheme, no path) and returns it.
 *
 * @example
 * ```ts
 * assertRegistryHost('127.0.0.1:5000'); // → '127.0.0.1:5000'
 * assertRegistryHost('https://127.0.0.1:5000/v2/'); // throws InvalidOptionError
 * ```
 *
 * @param host - the registry host.
 * @returns `host`, unchanged.
 * @throws InvalidOptionError when it is not a bare host.
 */
export function assertRegistryHost(host: string): string {
  if (!HOST.test(host)) {
    throw new InvalidOptionError(`registry "${host}" is not a bare host (expected e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com or 127.0.0.1:5000, without scheme or path)`);
  }
  return host;
}

/**
 * The `auths` key of a repository-scoped entry of containers-auth.json: `host/ns/repo`. The containers tools
 * prefer the longest matching key, so this entry serves only that repository (and its sub-paths).
 *
 * @example
 * ```ts
 * scopedKey('127.0.0.1:5000', 'team/app'); // → '127.0.0.1:5000/team/app'
 * ```
 *
 * @param host - the registry host.
 * @param repository - the repository path, e.g. `team/app` (no tag, no digest).
 * @returns `host/repository`.
 * @throws InvalidOptionError when the repository is not a valid path.
 */
export function scopedKey(host: string, repository: string): string {
  const path = repository.replace(/^\/+|\/+$/g, '');
  if (!REPOSITORY.test(path)) {
    throw new InvalidOptionError(`repository "${repository}" is not a valid repository path (lowercase components separated by "/", no tag or digest)`);
  }
  return `${assertRegistryHost(host)}/${path}`;
}
