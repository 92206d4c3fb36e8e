/**
 * The auth files `login` writes and `logout` cleans: Docker's config.json and containers-auth.json (Podman,
 * Buildah, Skopeo), through the safe read-modify-write of `@ecr-auth/auth-file`.
 *
 * @module
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AuthorizationToken } from 'ecr-auth';
import type { Env } from './token-cache.js';

/** A tool whose auth file `login` can write. */
export type ToolName = 'docker' | 'podman' | 'buildah';

/** One auth file to write: the tool, and an explicit path or `undefined` for the tool's default. */
export interface FileTarget {
  /** The tool that reads the file. */
  tool: ToolName;
  /** An explicit path (`--docker=PATH`), or `undefined` for the tool's default. */
  path: string | undefined;
}

/** One registry of a {@link WriteOutcome}. */
export interface WrittenRegistry {
  /** The registry host. */
  registry: string;
  /** `file`: written; `served-by-helper`: our credential helper serves it; `credential-helper`: stored in a configured helper. */
  storage: 'file' | 'served-by-helper' | 'credential-helper';
  /** The helper involved, if any. */
  helper?: string | undefined;
}

/** What writing one file did. Never holds a password. */
export interface WriteOutcome {
  /** The tool. */
  tool: ToolName;
  /** The file. */
  path: string;
  /** Whether the content changed. */
  changed: boolean;
  /** The registries written, each with where its credentials went. */
  entries: WrittenRegistry[];
  /** The earliest expiry of the entries. */
  expiresAt: Date;
}

/** What removing entries from one file did. */
export interface RemoveOutcome {
  /** The tool. */
  tool: ToolName;
  /** The file. */
  path: string;
  /** The keys removed. */
  removed: string[];
}

/** Options shared by writes. */
export interface WriteSettings {
  /** Store in a configured credential helper (`credsStore`/`credHelpers`) that would shadow the file entry. */
  storeInHelper?: boolean;
  /** The environment. */
  env?: Env;
  /** Ends a wait for a file's lock at once (Ctrl-C); nothing is written. */
  signal?: AbortSignal | undefined;
}

/**
 * Docker's config file: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
 *
 * @param env - the environment.
 * @returns the path.
 */
export function dockerConfigPath(env: Env = process.env): string {
  const dir = env['DOCKER_CONFIG'];
  return join(dir || join(env['HOME'] || homedir(), '.docker'), 'config.json');
}

/** The path options of every adapter, for an explicit path or the tool's default in `env`. */
function pathOptions(target: FileTarget, env: Env) {
  const home = env['HOME'] || homedir();
  if (target.tool === 'docker') return { env, home, ...(target.path ? { path: target.path } : {}) };
  return { env, home, ...(target.path ? { authFile: target.path } : {}) };
}

/**
 * Writes tokens into one auth file, through the tool's adapter (`@ecr-auth/docker-config`,
 * `@ecr-auth/podman`, `@ecr-auth/buildah`).
 *
 * @param target - the file.
 * @param tokens - tokens, each addressed to its registry.
 * @param settings - see {@link WriteSettings}.
 * @returns what was written, without secrets.
 */
export async function writeTarget(target: FileTarget, tokens: readonly AuthorizationToken[], settings: WriteSettings = {}): Promise<WriteOutcome> {
  const env = settings.env ?? process.env;
  const shadowed = settings.storeInHelper ? ('store-in-helper' as const) : ('error' as const);
  const options = { ...pathOptions(target, env), shadowed, signal: settings.signal };
  let result: { path: string; changed: boolean; entries: readonly WrittenRegistry[]; expiresAt: Date };
  if (target.tool === 'docker') result = await (await import('@ecr-auth/docker-config')).writeDockerConfig(tokens, options);
  else if (target.tool === 'podman') result = await (await import('@ecr-auth/podman')).writePodmanAuth(tokens, options);
  else result = await (await import('@ecr-auth/buildah')).writeBuildahAuth(tokens, options);
  return { tool: target.tool, path: result.path, changed: result.changed, entries: result.entries.map(plainEntry), expiresAt: result.expiresAt };
}

function plainEntry(entry: WrittenRegistry): WrittenRegistry {
  return { registry: entry.registry, storage: entry.storage, ...(entry.helper !== undefined && { helper: entry.helper }) };
}

/**
 * Removes registries from one auth file (and their `https://` twins). A missing file stays missing.
 *
 * @param target - the file.
 * @param hosts - the registry hosts.
 * @param env - the environment.
 * @param signal - ends a wait for the file's lock at once.
 * @returns what was removed.
 */
export async function removeFromTarget(target: FileTarget, hosts: readonly string[], env: Env = process.env, signal?: AbortSignal): Promise<RemoveOutcome> {
  const options = { ...pathOptions(target, env), signal };
  let result: { path: string; removed: string[] };
  if (target.tool === 'docker') result = await (await import('@ecr-auth/docker-config')).removeDockerConfig(hosts, options);
  else if (target.tool === 'podman') result = await (await import('@ecr-auth/podman')).removePodmanAuth(hosts, options);
  else result = await (await import('@ecr-auth/buildah')).removeBuildahAuth(hosts, options);
  return { tool: target.tool, path: result.path, removed: result.removed };
}

/**
 * The hosts an auth file holds ECR entries for (used by `logout` without registries).
 *
 * @param target - the file.
 * @param env - the environment.
 * @returns ECR hosts among its `auths` keys.
 */
export async function ecrHostsIn(target: FileTarget, env: Env = process.env): Promise<string[]> {
  const authFile = await import('@ecr-auth/auth-file');
  const { isEcrRegistry, parseRegistry } = await import('ecr-auth');
  const path = target.tool === 'docker' ? target.path || dockerConfigPath(env) : authFile.resolveContainersAuthPath(pathOptions(target, env)).path;
  // The safe read: a FIFO, device or folder is refused (never blocked on), a missing file holds nothing.
  const parsed = await authFile.readAuthFile(path);
  if (!parsed) return [];
  // Keys may be spelled as URLs (`https://host/v2/`): each names its host once.
  return [...new Set(Object.keys(parsed.document.auths ?? {}).filter((key) => isEcrRegistry(key)).map((key) => parseRegistry(key).host))];
}
