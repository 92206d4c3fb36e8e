import type { AuthorizationToken } from 'ecr-auth';
import { type ToolLoginOptions, type ToolLoginResult, runToolLogin } from '@ecr-auth/auth-file';

/** Options of {@link dockerLogin}. */
export interface DockerLoginOptions extends ToolLoginOptions {
  /**
   * The Docker config folder to log in with (sets `DOCKER_CONFIG` for the command).
   *
   * @defaultValue Docker's own choice (`$DOCKER_CONFIG`, else `~/.docker`)
   */
  configDir?: string;
}

/**
 * Runs `docker login --username AWS --password-stdin <registry>` with the password on stdin (never on the
 * command line), for users who prefer Docker to write its own config. Docker keeps its own rules: it drops
 * unknown keys of the file and stores through `credsStore` when one is set.
 *
 * @example
 * ```ts
 * await dockerLogin(token, { configDir: '/ci/docker' });
 * ```
 *
 * @param token - the token.
 * @param options - see {@link DockerLoginOptions}; `command` overrides the `docker` executable.
 * @returns what was run (without the password).
 * @throws ToolLoginError with Docker's stderr (secrets redacted).
 */
export function dockerLogin(token: AuthorizationToken, options: DockerLoginOptions = {}): Promise<ToolLoginResult> {
  const { configDir, ...rest } = options;
  const env = configDir === undefined ? rest.env : { ...(rest.env ?? process.env), DOCKER_CONFIG: configDir };
  return runToolLogin('docker', token, { ...rest, ...(env ? { env } : {}) });
}
