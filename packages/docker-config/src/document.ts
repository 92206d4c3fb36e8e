import type { AuthorizationToken } from 'ecr-auth';
import { type AuthDocument, type AuthEntryRequest, addressTokens, setAuthEntries } from '@ecr-auth/auth-file';

/** Options of the Docker config transforms. */
export interface DockerConfigEntryOptions {
  /**
   * Address a single token to this registry host instead of `token.registry` (e.g. `127.0.0.1:5000`).
   *
   * @defaultValue `token.registry`
   */
  registry?: string;
}

/**
 * The `auths` keys (bare hosts, as `docker login` writes them) and tokens to write. Pure.
 *
 * @example
 * ```ts
 * await writeAuthEntries(path, dockerConfigRequests(token), { honorsCredsStore: true });
 * dockerConfigRequests(token, { registry: '127.0.0.1:5000' }).map((r) => r.key); // → ['127.0.0.1:5000']
 * ```
 *
 * @param tokens - one token or several.
 * @param options - see {@link DockerConfigEntryOptions}.
 * @returns the entry requests.
 * @throws InvalidOptionError on a bad registry.
 */
export function dockerConfigRequests(tokens: AuthorizationToken | readonly AuthorizationToken[], options: DockerConfigEntryOptions = {}): AuthEntryRequest[] {
  return addressTokens(tokens, options.registry).map((token) => ({ key: token.registry, token }));
}

/**
 * The Docker `config.json` document for some tokens, alone: `{"auths": {"<host>": {"auth": "<base64>"}}}`.
 * Pure. The result holds secrets: write it with mode 0600.
 *
 * @example
 * ```ts
 * const document = toDockerConfigDocument(token);
 * // → { auths: { '123456789012.dkr.ecr.us-east-1.amazonaws.com': { auth: 'QVdTOi...' } } }
 * ```
 *
 * @param tokens - one token or several.
 * @param options - see {@link DockerConfigEntryOptions}.
 * @returns the document.
 */
export function toDockerConfigDocument(tokens: AuthorizationToken | readonly AuthorizationToken[], options: DockerConfigEntryOptions = {}): AuthDocument {
  return mergeDockerConfig({}, tokens, options);
}

/**
 * Merges tokens into an existing Docker config document, keeping everything that is not ours (other
 * registries, `credHelpers`, `proxies`, unknown keys, unknown keys of our entries) and dropping a stale
 * `https://host` twin. Pure; it does not check shadowing (see `findConfiguredHelper`).
 *
 * @example
 * ```ts
 * const next = mergeDockerConfig({ auths: { 'https://127.0.0.1:5000': { auth: 'b2xkOm9sZA==' } }, credsStore: 'desktop' }, token, { registry: '127.0.0.1:5000' });
 * // → { auths: { '127.0.0.1:5000': { auth: 'QVdTOi...' } }, credsStore: 'desktop' }
 * ```
 *
 * @param document - the current document.
 * @param tokens - one token or several.
 * @param options - see {@link DockerConfigEntryOptions}.
 * @returns the new document.
 */
export function mergeDockerConfig(document: AuthDocument, tokens: AuthorizationToken | readonly AuthorizationToken[], options: DockerConfigEntryOptions = {}): AuthDocument {
  const updates = dockerConfigRequests(tokens, options).map(({ key, token }) => ({ key, auth: token.revealBasicAuth() }));
  return setAuthEntries(document, updates).document;
}
