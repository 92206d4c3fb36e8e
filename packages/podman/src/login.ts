import type { AuthorizationToken } from 'ecr-auth';
import { type ToolLoginOptions, type ToolLoginResult, runToolLogin } from '@ecr-auth/auth-file';

/** Options of {@link podmanLogin}. */
export interface PodmanLoginOptions extends ToolLoginOptions {
  /** The auth file to write (`--authfile`). */
  authFile?: string;
  /** `false` adds `--tls-verify=false` (a plain-HTTP or self-signed registry). */
  tlsVerify?: boolean;
}

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
 * @param options - see {@link PodmanLoginOptions}; `command` overrides the `podman` executable.
 * @returns what was run (without the password).
 * @throws ToolLoginError with Podman's stderr (secrets redacted).
 */
export function podmanLogin(token: AuthorizationToken, options: PodmanLoginOptions = {}): Promise<ToolLoginResult> {
  const { authFile, tlsVerify, ...rest } = options;
  const extraArgs = [...(authFile === undefined ? [] : ['--authfile', authFile]), ...(tlsVerify === false ? ['--tls-verify=false'] : []), ...(rest.extraArgs ?? [])];
  return runToolLogin('podman', token, { ...rest, extraArgs });
}
