import type { AuthorizationToken } from 'ecr-auth';
import { type ToolLoginOptions, type ToolLoginResult, runToolLogin } from '@ecr-auth/auth-file';

/** Options of {@link buildahLogin}. */
export interface BuildahLoginOptions extends ToolLoginOptions {
  /** The auth file to write (`--authfile`). */
  authFile?: string;
  /** `false` adds `--tls-verify=false` (a plain-HTTP or self-signed registry). */
  tlsVerify?: boolean;
}

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
 * @param options - see {@link BuildahLoginOptions}; `command` overrides the `buildah` executable.
 * @returns what was run (without the password).
 * @throws ToolLoginError with Buildah's stderr (secrets redacted).
 */
export function buildahLogin(token: AuthorizationToken, options: BuildahLoginOptions = {}): Promise<ToolLoginResult> {
  const { authFile, tlsVerify, ...rest } = options;
  const extraArgs = [...(authFile === undefined ? [] : ['--authfile', authFile]), ...(tlsVerify === false ? ['--tls-verify=false'] : []), ...(rest.extraArgs ?? [])];
  return runToolLogin('buildah', token, { ...rest, extraArgs });
}
