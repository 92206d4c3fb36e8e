import type { AuthorizationToken } from 'ecr-auth';
import {
  type AuthDocument,
  type ContainersAuthEntryOptions,
  type ContainersAuthPathOptions,
  type ContainersAuthPathSource,
  type ContainersAuthRemoveResult,
  type ContainersAuthWriteResult,
  type RemoveContainersAuthOptions,
  type ResolvedAuthPath,
  type WriteContainersAuthOptions,
  removeContainersAuth,
  resolveContainersAuthPath,
  toContainersAuthDocument,
  writeContainersAuth,
} from '@ecr-auth/auth-file';

/**
 * The auth file `buildah login` writes and `buildah` reads first: `authFile` (`--authfile`), else
 * `$REGISTRY_AUTH_FILE`, else `$XDG_RUNTIME_DIR/containers/auth.json`, else `/run/containers/$UID/auth.json`
 * (`persistent: true`: `$XDG_CONFIG_HOME/containers/auth.json`, else `~/.config/containers/auth.json`).
 *
 * @example
 * ```ts
 * const { path, source } = resolveBuildahAuthPath({ env: { REGISTRY_AUTH_FILE: '/ci/auth.json' } });
 * ```
 *
 * @param options - the environment, home, uid and explicit file; each defaults to this process's.
 * @returns the path and the rule that chose it.
 */
export function resolveBuildahAuthPath(options: ContainersAuthPathOptions = {}): ResolvedAuthPath<ContainersAuthPathSource> {
  return resolveContainersAuthPath(options);
}

/**
 * The Buildah auth file document (containers-auth.json) for some tokens, alone. Pure; holds secrets.
 *
 * @example
 * ```ts
 * toBuildahAuthDocument(token, { repositories: ['team/app'] });
 * // → { auths: { '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app': { auth: 'QVdTOi...' } } }
 * ```
 *
 * @param tokens - one token or several.
 * @param options - `registry` (address a single token elsewhere) and `repositories` (scoped keys).
 * @returns the document.
 */
export function toBuildahAuthDocument(tokens: AuthorizationToken | readonly AuthorizationToken[], options: ContainersAuthEntryOptions = {}): AuthDocument {
  return toContainersAuthDocument(tokens, options);
}

/**
 * Writes tokens into Buildah's auth file safely (merged, atomic, locked, mode kept). An entry that
 * `credHelpers[host]` would shadow is refused with `EntryShadowedError` unless `shadowed: 'store-in-helper'`.
 *
 * @example
 * ```ts
 * const result = await writeBuildahAuth(token);
 * console.log(result.path, result.registries, result.expiresAt);
 * ```
 *
 * @param tokens - one token or several.
 * @param options - path, scoping and shadowing options.
 * @returns the path written, registries, expiry; never the password.
 */
export function writeBuildahAuth(tokens: AuthorizationToken | readonly AuthorizationToken[], options: WriteContainersAuthOptions = {}): Promise<ContainersAuthWriteResult> {
  return writeContainersAuth(tokens, options);
}

/**
 * Removes registries from Buildah's auth file (logout), with their `https://` twins; everything else stays.
 *
 * @example
 * ```ts
 * await removeBuildahAuth('123456789012.dkr.ecr.us-east-1.amazonaws.com', { includeScoped: true });
 * ```
 *
 * @param keys - hosts or `host/ns/repo` keys.
 * @param options - path options and `includeScoped`.
 * @returns what was removed and which file.
 */
export function removeBuildahAuth(keys: string | readonly string[], options: RemoveContainersAuthOptions = {}): Promise<ContainersAuthRemoveResult> {
  return removeContainersAuth(keys, options);
}
