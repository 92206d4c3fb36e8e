import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Environment, ResolvedAuthPath } from '@ecr-auth/auth-file';

/** Where a Docker config path came from. */
export type DockerConfigPathSource = 'option' | 'configDir' | 'DOCKER_CONFIG' | 'home';

/** Options of {@link resolveDockerConfigPath}; each overrides what the process would use. */
export interface DockerConfigPathOptions {
  /**
   * An explicit `config.json` path: wins over everything.
   *
   * @defaultValue none: `configDir`, then `$DOCKER_CONFIG`, then `~/.docker`
   */
  path?: string | undefined;
  /**
   * An explicit config folder (like `docker --config DIR`).
   *
   * @defaultValue `$DOCKER_CONFIG`, else `~/.docker`
   */
  configDir?: string | undefined;
  /**
   * The environment.
   *
   * @defaultValue `process.env`
   */
  env?: Environment;
  /**
   * The home folder.
   *
   * @defaultValue `os.homedir()`
   */
  home?: string;
}

/**
 * Docker's `config.json`, resolved as the Docker CLI resolves it: `path`, else `configDir/config.json`, else
 * `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
 *
 * @example
 * ```ts
 * resolveDockerConfigPath({ env: { DOCKER_CONFIG: '/ci/docker' } });
 * // → { path: '/ci/docker/config.json', source: 'DOCKER_CONFIG' }
 * ```
 *
 * @param options - see {@link DockerConfigPathOptions}.
 * @returns the path and the rule that chose it.
 */
export function resolveDockerConfigPath(options: DockerConfigPathOptions = {}): ResolvedAuthPath<DockerConfigPathSource> {
  if (options.path) return { path: options.path, source: 'option' };
  if (options.configDir) return { path: join(options.configDir, 'config.json'), source: 'configDir' };
  const env = options.env ?? process.env;
  if (env['DOCKER_CONFIG']) return { path: join(env['DOCKER_CONFIG'], 'config.json'), source: 'DOCKER_CONFIG' };
  return { path: join(options.home ?? homedir(), '.docker', 'config.json'), source: 'home' };
}
