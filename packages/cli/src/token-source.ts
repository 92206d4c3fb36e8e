/**
 * Tokens for the CLI and the credential helper: from the persistent cache when fresh, else from ECR through
 * `ecr-auth` (loaded lazily, with the AWS SDK). A failed renewal falls back to the cached token while it is
 * still valid; an expired token is never returned.
 *
 * @module
 */
import type { AuthorizationToken, EcrAuthLogger, EcrTokenProvider, TokenRequest } from 'ecr-auth';
import type * as EcrAuth from 'ecr-auth';
import { DEFAULT_EXPIRY_MARGINS, partitionDnsSuffix, type ExpiryMargins } from 'ecr-auth';
import { profileRegion } from './aws-profile-region.js';
import { settingsFor, type CliConfig, type RegistrySettings } from './config-file.js';
import { placeRegistry, TargetError } from './registry-rule.js';
import { UsageError } from './exit-codes.js';
import { silenceSdkWarnings } from './silence.js';
import {
  cacheScope,
  isFetchLocked,
  readCachedToken,
  tryLockFetch,
  tokenState,
  writeCachedToken,
  type CacheScope,
  type Env,
  type CachedToken,
} from './token-cache.js';

/** Settings given on the command line; they win over the configuration file. */
export interface CommandLineSettings {
  /** `--region`. */
  region?: string | undefined;
  /** `--profile`. */
  profile?: string | undefined;
  /** `--endpoint-url`. */
  endpoint?: string | undefined;
  /** `--public`. */
  public?: boolean | undefined;
}

/** Where one token comes from and which registry it is for. */
export interface TokenTarget {
  /** The registry host to address the token to; `undefined` for the caller's own private registry. */
  host: string | undefined;
  /** What the user typed, for messages. */
  input: string | undefined;
  /** Private ECR or ECR Public. */
  kind: 'private' | 'public';
  /** The region that issues the token (`undefined`: the SDK's default, resolved when fetching). */
  region: string | undefined;
  /** The registry's account, when known. */
  accountId: string | undefined;
  /** Whether the host is a custom name placed by the configuration file. */
  custom: boolean;
  /** The settings in force (command line over configuration file). */
  settings: RegistrySettings;
}

function definedOnly(flags: CommandLineSettings): RegistrySettings {
  const out: RegistrySettings = {};
  if (flags.region !== undefined) out.region = flags.region;
  if (flags.profile !== undefined) out.profile = flags.profile;
  if (flags.endpoint !== undefined) out.endpoint = flags.endpoint;
  if (flags.public !== undefined) out.public = flags.public;
  return out;
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Places a registry (or the caller's own registry) from its name, the configuration file and the command line,
 * by the one registry rule ({@link placeRegistry}) that the credential helper uses too. A bare 12-digit
 * account id (amazon-ecr-login's `registries` form) names that account's registry in the region in force.
 *
 * @example
 * ```ts
 * resolveTarget('210987654321', {}, { region: 'cn-north-1' }).host; // '210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn'
 * ```
 *
 * @param input - a host, URL, image reference or account id; `undefined` for the caller's own registry.
 * @param config - the configuration file.
 * @param flags - command-line settings.
 * @param env - the environment.
 * @returns the target.
 * @throws {@link TargetError} for a name that is neither ECR's nor mapped in the configuration file;
 *   `UsageError` for an account id with no region anywhere.
 */
export function resolveTarget(input: string | undefined, config: CliConfig, flags: CommandLineSettings = {}, env: Env = process.env): TokenTarget {
  if (input !== undefined && input.trim() === '') throw new TargetError('the registry is empty; pass a host such as 123456789012.dkr.ecr.us-east-1.amazonaws.com');
  const defaultRegion = (settings: RegistrySettings) => settings.region ?? (env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || profileRegion(settings.profile, env));
  if (input === undefined || ACCOUNT_ID.test(input.trim())) {
    const settings: RegistrySettings = { ...settingsFor(config, undefined).settings, ...definedOnly(flags) };
    const kind = settings.public ? 'public' : 'private';
    const region = kind === 'public' ? 'us-east-1' : defaultRegion(settings);
    if (input === undefined) {
      return { host: kind === 'public' ? 'public.ecr.aws' : undefined, input, kind, region, accountId: settings.accountId, custom: false, settings };
    }
    if (region === undefined) {
      throw new UsageError(`"${input.trim()}" is an account id: say which region its registry is in with --region (or AWS_REGION, or "region" in the configuration file)`);
    }
    input = `${input.trim()}.dkr.ecr.${region}.${partitionDnsSuffix(region)}`;
  }
  const placed = placeRegistry(input, config);
  const settings: RegistrySettings = { ...placed.settings, ...definedOnly(flags) };
  if (!placed.custom) {
    if (flags.region !== undefined && flags.region !== placed.region && placed.kind === 'private') {
      throw new TargetError(`--region ${flags.region} does not match registry ${placed.host}, which is in ${placed.region}`);
    }
    return { host: placed.host, input, kind: placed.kind, region: placed.region, accountId: placed.accountId, custom: false, settings: { ...settings, region: placed.region } };
  }
  const kind = settings.public ? 'public' : 'private';
  const region = kind === 'public' ? 'us-east-1' : settings.region;
  if (region === undefined) throw new TargetError(`"${placed.host}" is a custom name: its entry in the configuration file needs a "region"`);
  return { host: placed.host, input, kind, region, accountId: settings.accountId, custom: true, settings };
}

/**
 * The cache scope of a target; `undefined` when its region is not known yet.
 *
 * @param target - the target.
 * @param env - the environment.
 * @returns the scope.
 */
export function scopeOf(target: TokenTarget, env: Env = process.env): CacheScope | undefined {
  if (target.region === undefined) return undefined;
  return cacheScope(
    { kind: target.kind, region: target.region, endpoint: target.settings.endpoint, profile: target.settings.profile, roleArn: target.settings.roleArn },
    env,
  );
}

/** Options of {@link TokenSource}. */
export interface TokenSourceOptions {
  /** The persistent cache folder. */
  cacheDir: string;
  /** Whether to read and write the persistent cache. Default `true`. */
  useCache?: boolean;
  /** Deadline of one fetch, retries included, in ms. */
  timeoutMs: number;
  /** Where `ecr-auth` reports (debug output). */
  logger?: EcrAuthLogger | undefined;
  /** The environment. Default `process.env`. */
  env?: Env;
  /** Cache margins. */
  margins?: ExpiryMargins;
}

/** Where a token came from. */
export type TokenOrigin = 'cache' | 'api' | 'stale-cache';

/** A token and where it came from. */
export interface SourcedToken {
  /** The token, addressed to the target's registry. */
  token: AuthorizationToken;
  /** `cache`: fresh cached token; `api`: fetched now; `stale-cache`: renewal failed, cached token still valid. */
  origin: TokenOrigin;
  /** The error of a failed renewal, for `stale-cache`. */
  renewalError?: unknown;
}

type EcrAuthModule = typeof EcrAuth;

/**
 * Gets tokens for targets, through the persistent cache. Keeps one `EcrTokenProvider` (and its SDK clients)
 * per credentials scope, so a long-running `login --watch` reuses connections.
 */
export class TokenSource {
  readonly #options: TokenSourceOptions;
  readonly #providers = new Map<string, EcrTokenProvider>();
  #module: Promise<EcrAuthModule> | undefined;

  /** @param options - see {@link TokenSourceOptions}. */
  constructor(options: TokenSourceOptions) {
    this.#options = options;
  }

  /**
   * A valid token for a target: the cached one when fresh; otherwise a new one from ECR (written to the
   * cache); if that fails, the cached one while it is still valid.
   *
   * @param target - see {@link resolveTarget}.
   * @param options - `forceRefresh`: skip a fresh cached token; `signal`: give up (e.g. on SIGTERM).
   * @returns the token and its origin.
   * @throws the `ecr-auth` error of the fetch when no valid token is at hand.
   */
  async get(target: TokenTarget, options: { forceRefresh?: boolean; signal?: AbortSignal | undefined } = {}): Promise<SourcedToken> {
    const env = this.#options.env ?? process.env;
    const useCache = this.#options.useCache ?? true;
    const margins = this.#options.margins ?? DEFAULT_EXPIRY_MARGINS;
    const mod = await this.#load();
    let scope = scopeOf(target, env);
    let cached = scope && useCache ? readCachedToken(this.#options.cacheDir, scope) : undefined;
    let state = cached ? tokenState(cached, Date.now(), margins) : 'expired';
    if (cached && state === 'fresh' && !options.forceRefresh) {
      this.#options.logger?.debug?.(`ecr-auth: token for ${target.kind} ${target.region} from the cache (expires ${new Date(cached.expiresAt).toISOString()})`);
      return { token: this.#address(mod, fromCached(mod, cached), target), origin: 'cache' };
    }
    // Concurrent misses of one scope make one API call: wait for another process's fetch when one is running.
    let release: (() => void) | undefined;
    if (scope && useCache) {
      const waitUntil = Date.now() + this.#options.timeoutMs;
      for (;;) {
        release = tryLockFetch(this.#options.cacheDir, scope, this.#options.timeoutMs + 2_000);
        if (release) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
        const other = readCachedToken(this.#options.cacheDir, scope);
        if (other && tokenState(other, Date.now(), margins) === 'fresh' && !options.forceRefresh && other.fetchedAt !== cached?.fetchedAt) {
          return { token: this.#address(mod, fromCached(mod, other), target), origin: 'cache' };
        }
        if (Date.now() > waitUntil || options.signal?.aborted || !isFetchLocked(this.#options.cacheDir, scope)) {
          release = tryLockFetch(this.#options.cacheDir, scope, 0) ?? (() => undefined);
          break;
        }
      }
    }
    try {
      const token = await this.#fetch(mod, target, options.signal);
      if (!scope) {
        scope = cacheScope({ kind: token.kind, region: token.region, endpoint: target.settings.endpoint, profile: target.settings.profile, roleArn: target.settings.roleArn }, env);
      }
      if (useCache) {
        try {
          writeCachedToken(this.#options.cacheDir, scope, toCached(token));
        } catch (error) {
          this.#options.logger?.warn?.(`ecr-auth: could not write the token cache in ${this.#options.cacheDir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
        }
      }
      return { token: this.#address(mod, token, target), origin: 'api' };
    } catch (error) {
      // A renewal that fails while the cached token is still valid keeps the cached token.
      if (cached && scope) {
        cached = readCachedToken(this.#options.cacheDir, scope) ?? cached;
        state = tokenState(cached, Date.now(), margins);
        if (state !== 'expired') return { token: this.#address(mod, fromCached(mod, cached), target), origin: 'stale-cache', renewalError: error };
      }
      throw error;
    } finally {
      release?.();
    }
  }

  /** Destroys the SDK clients. */
  async close(): Promise<void> {
    const providers = [...this.#providers.values()];
    this.#providers.clear();
    await Promise.allSettled(providers.map((p) => p.close()));
  }

  #load(): Promise<EcrAuthModule> {
    silenceSdkWarnings();
    this.#module ??= import('ecr-auth');
    return this.#module;
  }

  #address(mod: EcrAuthModule, token: AuthorizationToken, target: TokenTarget): AuthorizationToken {
    void mod;
    if (target.host === undefined || target.host === token.registry) return token;
    return token.withRegistry(target.host, target.accountId);
  }

  async #fetch(mod: EcrAuthModule, target: TokenTarget, signal: AbortSignal | undefined): Promise<AuthorizationToken> {
    const settings = target.settings;
    const key = JSON.stringify([settings.profile, settings.roleArn, settings.roleSessionName, settings.externalId, settings.endpoint]);
    let provider = this.#providers.get(key);
    if (!provider) {
      const timeout = this.#options.timeoutMs;
      provider = new mod.EcrTokenProvider({
        ...(settings.profile !== undefined && { profile: settings.profile }),
        ...(settings.endpoint !== undefined && { endpoint: settings.endpoint, publicEndpoint: settings.endpoint }),
        ...(settings.roleArn !== undefined && { credentials: await roleCredentials(settings, target.region) }),
        ...(this.#options.logger !== undefined && { logger: this.#options.logger }),
        retry: { totalTimeoutMs: timeout, attemptTimeoutMs: Math.min(timeout, 10_000), maxDelayMs: Math.max(200, Math.min(5_000, timeout / 4)) },
        cache: { failureCooldownMs: 0 },
      });
      this.#providers.set(key, provider);
    }
    const request: TokenRequest = { public: target.kind === 'public' };
    if (target.region !== undefined && target.kind === 'private') request.region = target.region;
    if (target.host !== undefined) request.registry = target.host;
    if (target.accountId !== undefined && target.custom) request.accountId = target.accountId;
    // A hard deadline on top of the retry deadline: credential providers may not honour abort signals.
    const deadline = AbortSignal.timeout(this.#options.timeoutMs + 1_000);
    return provider.getToken(request, { forceRefresh: true, signal: signal ? AbortSignal.any([deadline, signal]) : deadline });
  }
}

/** Credentials of an assumed role, with the profile's (or the default) credentials as the source. */
async function roleCredentials(settings: RegistrySettings, region: string | undefined) {
  const { fromTemporaryCredentials, fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  return fromTemporaryCredentials({
    params: {
      RoleArn: settings.roleArn,
      RoleSessionName: settings.roleSessionName ?? 'ecr-auth',
      ...(settings.externalId !== undefined && { ExternalId: settings.externalId }),
    },
    ...(settings.profile !== undefined && { masterCredentials: fromNodeProviderChain({ profile: settings.profile }) }),
    clientConfig: { ...(region !== undefined && { region }) },
  });
}

function toCached(token: AuthorizationToken): CachedToken {
  return {
    v: 1,
    username: token.username,
    password: token.revealPassword(),
    registry: token.registry,
    proxyEndpoint: token.proxyEndpoint,
    region: token.region,
    accountId: token.accountId,
    kind: token.kind,
    fetchedAt: token.fetchedAt.getTime(),
    expiresAt: token.expiresAt.getTime(),
    clockOffsetMs: token.fetchedAt.getTime() - Date.now(),
  };
}

function fromCached(mod: EcrAuthModule, cached: CachedToken): AuthorizationToken {
  return new mod.AuthorizationToken({
    username: cached.username,
    password: cached.password,
    registry: cached.registry,
    proxyEndpoint: cached.proxyEndpoint,
    region: cached.region,
    accountId: cached.accountId,
    kind: cached.kind,
    fetchedAt: new Date(cached.fetchedAt),
    expiresAt: new Date(cached.expiresAt),
  });
}
