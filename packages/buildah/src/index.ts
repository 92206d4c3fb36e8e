/**
 * ECR tokens into Buildah's auth file (containers-auth.json). Buildah, Podman and Skopeo read the same format from
 * the same places, so these are the shared `@ecr-auth/auth-file` functions under Buildah's names; only the
 * login command differs.
 *
 * @example
 * ```ts
 * import { getToken } from 'ecr-auth';
 * import { writeBuildahAuth } from '@ecr-auth/buildah';
 *
 * const token = await getToken('123456789012.dkr.ecr.us-east-1.amazonaws.com');
 * const result = await writeBuildahAuth(token); // $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json, …
 * console.log(result.path, result.registries, result.expiresAt);
 * ```
 *
 * @packageDocumentation
 */
import type { AuthorizationToken } from 'ecr-auth';
import { type ContainersLoginOptions, type ToolLoginResult, containersToolLogin } from '@ecr-auth/auth-file';

export {
  resolveContainersAuthPath as resolveBuildahAuthPath,
  toContainersAuthDocument as toBuildahAuthDocument,
  writeContainersAuth as writeBuildahAuth,
  removeContainersAuth as removeBuildahAuth,
} from '@ecr-auth/auth-file';
export type { ContainersLoginOptions as BuildahLoginOptions } from '@ecr-auth/auth-file';

/**
 * Runs `buildah login --username AWS --password-stdin <registry>` with the password on stdin (never on the
 * command line), for users who prefer Buildah to write its own auth file.
 *
 * @example
 * ```ts
 * await buildahLogin(token, { authFile: '/ci/auth.json' });
 * ```
 *
 * @param token - the token.
 * @param options - `authFile`, `tlsVerify`, `command`, `extraArgs`, `env`, `timeoutMs`.
 * @returns what was run (without the password).
 * @throws ToolLoginError with Buildah's stderr (secrets redacted).
 */
export function buildahLogin(token: AuthorizationToken, options: ContainersLoginOptions = {}): Promise<ToolLoginResult> {
  return containersToolLogin('buildah', token, options);
}
