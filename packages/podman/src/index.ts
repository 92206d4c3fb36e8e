/**
 * ECR tokens into Podman's auth file (containers-auth.json). Podman, Buildah and Skopeo read the same format from
 * the same places, so these are the shared `@ecr-auth/auth-file` functions under Podman's names; only the
 * login command differs.
 *
 * @example
 * ```ts
 * import { getToken } from 'ecr-auth';
 * import { writePodmanAuth } from '@ecr-auth/podman';
 *
 * const token = await getToken('123456789012.dkr.ecr.us-east-1.amazonaws.com');
 * const result = await writePodmanAuth(token); // $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json, …
 * console.log(result.path, result.registries, result.expiresAt);
 * ```
 *
 * @packageDocumentation
 */
import type { AuthorizationToken } from 'ecr-auth';
import { type ContainersLoginOptions, type ToolLoginResult, containersToolLogin } from '@ecr-auth/auth-file';

export {
  resolveContainersAuthPath as resolvePodmanAuthPath,
  toContainersAuthDocument as toPodmanAuthDocument,
  writeContainersAuth as writePodmanAuth,
  removeContainersAuth as removePodmanAuth,
} from '@ecr-auth/auth-file';
export type { ContainersLoginOptions as PodmanLoginOptions } from '@ecr-auth/auth-file';

/**
 * Runs `podman login --username AWS --password-stdin <registry>` with the password on stdin (never on the
 * command line), for users who prefer Podman to write its own auth file.
 *
 * @example
 * ```ts
 * await podmanLogin(token, { authFile: '/ci/auth.json' });
 * ```
 *
 * @param token - the token.
 * @param options - `authFile`, `tlsVerify`, `command`, `extraArgs`, `env`, `timeoutMs`.
 * @returns what was run (without the password).
 * @throws ToolLoginError with Podman's stderr (secrets redacted).
 */
export function podmanLogin(token: AuthorizationToken, options: ContainersLoginOptions = {}): Promise<ToolLoginResult> {
  return containersToolLogin('podman', token, options);
}
