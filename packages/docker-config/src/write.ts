import type { AuthorizationToken } from 'ecr-auth';
import {
  type AuthFileRemoveResult,
  type AuthFileWriteResult,
  type AuthWriteOptions,
  type FileLockOptions,
  assertRegistryHost,
  registryHostOf,
  removeAuthFileEntries,
  writeAuthEntries,
} from '@ecr-auth/auth-file';
import { type DockerConfigEntryOptions, dockerConfigRequests } from './document.js';
import { type DockerConfigPathOptions, type DockerConfigPathSource, resolveDockerConfigPath } from './paths.js';

/** Options of {@link writeDockerConfig}. */
export interface WriteDockerConfigOptions extends DockerConfigPathOptions, DockerConfigEntryOptions, AuthWriteOptions {}

/** What {@link writeDockerConfig} did: the write result and which rule chose the path. Never the password. */
export interface DockerConfigWriteResult extends AuthFileWriteResult {
  /** Which rule chose the path. */
  source: DockerConfigPathSource;
}

/**
 * Writes tokens into Docker's `config.json` safely: merged into the existing file (nothing that is not ours is
 * lost), atomic, locked against concurrent writers, mode kept (0600 for a new file in a new 0700 folder).
 *
 * Docker never reads `auths[host]` when `credsStore` or `credHelpers[host]` is set. Such an entry is not
 * written silently: by default the call fails with `EntryShadowedError` (nothing written); with
 * `shadowed: 'store-in-helper'` the credentials go through that helper, as `docker login` does. A helper named
 * `ecr-auth` (ours) already serves the host: the entry is reported as `served-by-helper` and skipped.
 *
 * @example
 * ```ts
 * const token = await provider.getToken('123456789012.dkr.ecr.us-east-1.amazonaws.com');
 * const result = await writeDockerConfig(token);
 * console.log(`wrote ${result.registries.join(', ')} to ${result.path}, valid until ${result.expiresAt.toISOString()}`);
 * ```
 *
 * @param tokens - one token or several.
 * @param options - see {@link WriteDockerConfigOptions}.
 * @returns the path written, registries, expiry; never the password.
 * @throws EntryShadowedError, AuthFileInvalidError, AuthFileAccessError, AuthFileLockTimeoutError,
 *   CredentialHelperError, InvalidOptionError.
 */
export async function writeDockerConfig(tokens: AuthorizationToken | readonly AuthorizationToken[], options: WriteDockerConfigOptions = {}): Promise<DockerConfigWriteResult> {
  const { path, source } = resolveDockerConfigPath(options);
  const result = await writeAuthEntries(path, dockerConfigRequests(tokens, options), { ...options, honorsCredsStore: true });
  return { ...result, source };
}

/**
 * Options of {@link removeDockerConfig}.
 *
 * @example
 * ```ts
 * await removeDockerConfig('127.0.0.1:5000', { configDir: '/ci/docker', lock: { timeoutMs: 5_000 }, signal: controller.signal });
 * ```
 */
export interface RemoveDockerConfigOptions extends DockerConfigPathOptions {
  /**
   * How the cross-process lock waits.
   *
   * @defaultValue the defaults of `FileLockOptions`
   */
  lock?: FileLockOptions;
  /**
   * Ends a wait for the file's lock at once (e.g. on Ctrl-C), rejecting with `signal.reason`; nothing is written.
   *
   * @example
   * ```ts
   * await removeDockerConfig(host, { signal: AbortSignal.timeout(5_000) });
   * ```
   */
  signal?: AbortSignal | undefined;
}

/** What {@link removeDockerConfig} did: the removal result and which rule chose the path. */
export interface DockerConfigRemoveResult extends AuthFileRemoveResult {
  /** Which rule chose the path. */
  source: DockerConfigPathSource;
}

/**
 * Removes registries from Docker's `config.json` (logout): each `auths[host]` with its twins (`https://host`,
 * `http://host/`, `host/`, `https://host/v1/`, `/v2/`).
 * Everything else stays; a missing file stays missing. Credentials kept by a credential helper are not
 * touched (use `eraseFromCredentialHelper`).
 *
 * @example
 * ```ts
 * await removeDockerConfig('123456789012.dkr.ecr.us-east-1.amazonaws.com');
 * ```
 *
 * @param registries - registry hosts; the spellings found in config files (`https://host`, `host/`,
 *   `https://host/v1/`) name the same host.
 * @param options - see {@link RemoveDockerConfigOptions}.
 * @returns what was removed and which file.
 */
export async function removeDockerConfig(registries: string | readonly string[], options: RemoveDockerConfigOptions = {}): Promise<DockerConfigRemoveResult> {
  const { path, source } = resolveDockerConfigPath(options);
  const hosts = (typeof registries === 'string' ? [registries] : [...registries]).map((registry) => assertRegistryHost(registryHostOf(registry)));
  const result = await removeAuthFileEntries(path, hosts, { ...(options.lock ? { lock: options.lock } : {}), signal: options.signal });
  return { ...result, source };
}
