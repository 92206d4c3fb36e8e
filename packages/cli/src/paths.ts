import { homedir } from 'node:os';
import { join } from 'node:path';

/** An environment to read settings from (defaults to `process.env`). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The folder of the persistent token cache: `$ECR_AUTH_CACHE_DIR`, else `$XDG_CACHE_HOME/ecr-auth`, else
 * `~/.cache/ecr-auth`.
 *
 * @param env - the environment; defaults to `process.env`.
 * @returns an absolute or relative folder path (created on first write with mode 0700).
 */
export function cacheDir(env: Env = process.env): string {
  const explicit = env['ECR_AUTH_CACHE_DIR'];
  if (explicit) return explicit;
  const xdg = env['XDG_CACHE_HOME'];
  return join(xdg || join(env['HOME'] || homedir(), '.cache'), 'ecr-auth');
}

/**
 * The configuration file: `$ECR_AUTH_CONFIG`, else `$XDG_CONFIG_HOME/ecr-auth/config.json`, else
 * `~/.config/ecr-auth/config.json`.
 *
 * @param env - the environment; defaults to `process.env`.
 * @returns the path (the file need not exist).
 */
export function configPath(env: Env = process.env): string {
  const explicit = env['ECR_AUTH_CONFIG'];
  if (explicit) return explicit;
  const xdg = env['XDG_CONFIG_HOME'];
  return join(xdg || join(env['HOME'] || homedir(), '.config'), 'ecr-auth', 'config.json');
}
