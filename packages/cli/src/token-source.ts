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
import { sleep } from './sleep.js';
import type { LockHandle } from '@ecr-auth/auth-file';
import {
  cacheScope,
  clearFailure,
  ensureCacheDir,
  fetchLockPath,
  readCachedToken,
  readCooldown,
  recordFailure,
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
  /** A FIPS registry host (its token comes from a FIPS endpoint). */
  fips?: boolean;
  /** A dual-stack registry host. */
  dualStack?: boolean;
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
 * by the one registry rule that the credential helper uses too. A bare 12-digit
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
    return { host: placed.host, input, kind: placed.kind, region: placed.region, accountId: placed.accountId, custom: false, fips: placed.fips, dualStack: placed.dualStack, settings: { ...settings, region: placed.region } };
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
    { kind: target.kind, region: target.region, endpoint: target.settings.endpoint, profile: target.settings.profile, roleArn: target.settings.roleArn, fips: target.fips, dualStack: target.dualStack },
    env,
  );
}

/** Options of {@link TokenSource}. */
export interface TokenSourceOptions {
  /** The persistent cache folder. */
  cacheDir: string;
  /**
   * Whether to read and write the persistent cache.
   *
   * @defaultValue `true`
   */
  useCache?: boolean;
  /** Deadline of one fetch, retries included, in ms. */
  timeoutMs: number;
  /**
   * Where `ecr-auth` reports (debug output).
   *
   * @defaultValue none (silent)
   */
  logger?: EcrAuthLogger | undefined;
  /**
   * The environment.
   *
   * @defaultValue `process.env`
   */
  env?: Env;
  /**
   * Cache margins.
   *
   * @defaultValue `DEFAULT_EXPIRY_MARGINS` of `ecr-auth` (renew 30 minutes, refuse 5 minutes before expiry)
   */
  margins?: ExpiryMargins;
  /**
   * Honour the failure cooldown that other processes recorded: no API call for a scope while it is in force
   * (the credential helper, which Docker runs once per pull).
   *
   * @defaultValue `false` (a command the user typed asks)
   */
  respectCooldown?: boolean;
}

/**
 * A fetch that was not made: an earlier one failed moments ago (the cooldown shared by every process).
 *
 * @example
 * ```ts
 * import { cacheDir, CooldownError, resolveTarget, TokenSource } from '@ecr-auth/cli';
 *
 * const source = new TokenSource({ cacheDir: cacheDir(), timeoutMs: 10_000, respectCooldown: true });
 * try {
 *   await source.get(resolveTarget('123456789012.dkr.ecr.eu-west-1.amazonaws.com', {}));
 * } catch (error) {
 *   if (error instanceof CooldownError) console.error(`try again after ${error.retryAt.toISOString()}`);
 *   else throw error;
 * } finally {
 *   await source.close();
 * }
 * ```
 */
export class CooldownError extends Error {
  /** Always `ECR_AUTH_COOLDOWN`. */
  readonly code = 'ECR_AUTH_COOLDOWN';
  /** When the next fetch may be made. */
  readonly retryAt: Date;

  /** @param cooldown - the recorded cooldown: when it ends (epoch ms) and the failure's message. */
  constructor(cooldown: { retryAt: number; message: string }) {
    super(`ecr-auth: not asking ECR again before ${new Date(cooldown.retryAt).toISOString()}: the last attempt failed (${cooldown.message.replace(/^ecr-auth: /, '')})`);
    this.name = 'CooldownError';
    this.retryAt = new Date(cooldown.retryAt);
  }
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
  /** Server clock minus local clock when the token was fetched, ms (for scheduling on the server's clock). */
  clockOffsetMs: number;
}

type EcrAuthModule = typeof EcrAuth;

/**
 * Gets tokens for targets, through the persistent cache. Keeps one `EcrTokenProvider` (and its SDK clients)
 * per credentials scope, so a long-running `login --watch` reuses connections.
 *
 * @example
 * ```ts
 * import { cacheDir, configPath, loadConfig, resolveTarget, TokenSource } from '@ecr-auth/cli';
 *
 * const source = new TokenSource({ cacheDir: cacheDir(), timeoutMs: 30_000 });
 * try {
 *   const target = resolveTarget('123456789012.dkr.ecr.eu-west-1.amazonaws.com', loadConfig(configPath()));
 *   const { token, origin } = await source.get(target); // origin: 'cache', 'api' or 'stale-cache'
 *   console.log(token.registry, origin, token.expiresAt);
 * } finally {
 *   await source.close();
 * }
 * ```
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
    const deadline = Date.now() + this.#options.timeoutMs;
    const env = this.#options.env ?? process.env;
    const useCache = this.#options.useCache ?? true;
    const margins = this.#options.margins ?? DEFAULT_EXPIRY_MARGINS;
    const dir = this.#options.cacheDir;
    const mod = await this.#load();
    let scope = scopeOf(target, env);
    const cached = scope && useCache ? readCachedToken(dir, scope) : undefined;
    // Stryker disable next-line StringLiteral: the state of no cached token is only ever read together with the token (cached && …)
    const state = cached ? tokenState(cached, Date.now(), margins) : 'expired';
    const fromCache = (token: CachedToken, origin: TokenOrigin = 'cache', renewalError?: unknown): SourcedToken => ({
      token: this.#address(mod, fromCached(mod, token), target),
      origin,
      clockOffsetMs: token.clockOffsetMs,
      ...(renewalError !== undefined && { renewalError }),
    });
    if (cached && state === 'fresh' && !options.forceRefresh) {
      this.#options.logger?.debug?.(`ecr-auth: token for ${target.kind} ${target.region} from the cache (expires ${new Date(cached.expiresAt).toISOString()})`);
      return fromCache(cached);
    }
    const valid = cached && state !== 'expired' ? cached : undefined;
    let lock: LockHandle | undefined;
    if (scope && useCache) {
      const cooldown = readCooldown(dir, scope);
      if (cooldown && this.#options.respectCooldown) {
        if (valid) return fromCache(valid, 'stale-cache', new CooldownError(cooldown));
        throw new CooldownError(cooldown);
      }
      // Concurrent renewals of one scope make one API call: while another process fetches, serve the valid
      // token, or wait for the other's result.
      const acquired = await this.#lockOrWait(scope, cached, deadline, options.signal, margins);
      if ('token' in acquired) return fromCache(acquired.token);
      if (acquired.busy && valid) return fromCache(valid);
      lock = acquired.lock;
      // The previous holder may have written a new token between our read and our taking the lock.
      const meanwhile = readCachedToken(dir, scope);
      if (meanwhile && meanwhile.fetchedAt !== cached?.fetchedAt && tokenState(meanwhile, Date.now(), margins) === 'fresh' && !options.forceRefresh) {
        lock?.release();
        return fromCache(meanwhile);
      }
    }
    try {
      const token = await this.#fetch(mod, target, deadline, options.signal);
      const clockOffsetMs = token.fetchedAt.getTime() - Date.now();
      scope ??= cacheScope({ kind: token.kind, region: token.region, endpoint: target.settings.endpoint, profile: target.settings.profile, roleArn: target.settings.roleArn, fips: target.fips, dualStack: target.dualStack }, env);
      if (useCache) {
        try {
          writeCachedToken(dir, scope, toCached(token, clockOffsetMs));
          clearFailure(dir, scope);
        } catch (error) {
          this.#options.logger?.warn?.(`ecr-auth: could not write the token cache: ${(error as Error).message}`);
        }
      }
      return { token: this.#address(mod, token, target), origin: 'api', clockOffsetMs };
    } catch (error) {
      if (scope && useCache && !options.signal?.aborted) {
        try {
          recordFailure(dir, scope, error instanceof Error ? error.message : String(error));
        } catch {
          // A cache we cannot write keeps no cooldown; the error below still reaches the caller.
        }
      }
      // A renewal that fails while the cached token is still valid keeps the cached token.
      const still = valid && tokenState(valid, Date.now(), margins) !== 'expired' ? valid : undefined;
      if (still) return fromCache(still, 'stale-cache', error);
      throw error;
    } finally {
      lock?.release();
    }
  }

  /**
   * Takes the fetch lock of a scope, or waits (bounded by the deadline and the signal) for its holder's token.
   * A lock that cannot be created at all (a read-only cache) lets the fetch go ahead unlocked.
   */
  async #lockOrWait(
    scope: CacheScope,
    cached: CachedToken | undefined,
    deadline: number,
    signal: AbortSignal | undefined,
    margins: ExpiryMargins,
  ): Promise<{ lock: LockHandle | undefined; busy?: false } | { busy: true; lock?: undefined } | { token: CachedToken }> {
    const { tryAcquireLock } = await import('@ecr-auth/auth-file');
    const dir = this.#options.cacheDir;
    const path = fetchLockPath(dir, scope);
    const staleMs = this.#options.timeoutMs + 2_000;
    const take = (): LockHandle | undefined | 'unlockable' => {
      try {
        ensureCacheDir(dir);
        return tryAcquireLock(path, { staleMs });
      } catch {
        return 'unlockable';
      }
    };
    let first = true;
    for (;;) {
      const lock = take();
      // Stryker disable next-line ObjectLiteral: { lock: undefined } and {} read the same to the caller (no token, not busy, no lock)
      if (lock === 'unlockable') return { lock: undefined };
      if (lock) return { lock };
      // Someone else is fetching: a still-valid token needs no waiting.
      if (first && cached && tokenState(cached, Date.now(), margins) !== 'expired') return { busy: true };
      first = false;
      if (signal?.aborted) throw signal.reason;
      if (Date.now() >= deadline) {
        const { NetworkError } = await this.#load();
        throw new NetworkError('ECR_AUTH_NETWORK', `another process was still fetching the token after ${this.#options.timeoutMs} ms (ECR_AUTH_TIMEOUT_MS); gave up waiting for it`, { retryable: true });
      }
      await sleep(Math.min(50, deadline - Date.now()), signal);
      const other = readCachedToken(dir, scope);
      if (other && other.fetchedAt !== cached?.fetchedAt && tokenState(other, Date.now(), margins) !== 'expired') return { token: other };
    }
  }

  /** Destroys the SDK clients. */
  async close(): Promise<void> {
    const providers = [...this.#providers.values()];
    this.#providers.clear();
    await Promise.allSettled(providers.map((p) => p.close()));
  }

  #load(): Promise<EcrAuthModule> {
    this.#module ??= import('ecr-auth');
    return this.#module;
  }

  #address(mod: EcrAuthModule, token: AuthorizationToken, target: TokenTarget): AuthorizationToken {
    void mod;
    if (target.host === undefined || target.host === token.registry) return token;
    return token.withRegistry(target.host, target.accountId);
  }

  async #fetch(mod: EcrAuthModule, target: TokenTarget, deadline: number, signal: AbortSignal | undefined): Promise<AuthorizationToken> {
    const settings = target.settings;
    const key = JSON.stringify([settings.profile, settings.roleArn, settings.roleSessionName, settings.externalId, settings.endpoint]);
    let provider = this.#providers.get(key);
    if (!provider) {
      const timeout = this.#options.timeoutMs;
      const env = this.#options.env ?? process.env;
      const credentials = settings.roleArn !== undefined ? await roleCredentials(mod, settings, target.region, env) : staticCredentialsOf(env, settings);
      provider = new mod.EcrTokenProvider({
        // Stryker disable ConditionalExpression: an option given as undefined is no option (the library spreads profile, credentials and the endpoints only when defined, and completes an undefined logger to the silent one)
        ...(settings.profile !== undefined && { profile: settings.profile }),
        ...endpointsOf(env, settings),
        ...(credentials !== undefined && { credentials }),
        ...(this.#options.logger !== undefined && { logger: this.#options.logger }),
        // Stryker restore ConditionalExpression
        retry: { totalTimeoutMs: timeout, attemptTimeoutMs: Math.min(timeout, 10_000), maxDelayMs: Math.max(200, Math.min(5_000, timeout / 4)) },
        cache: { failureCooldownMs: 0 },
      });
      this.#providers.set(key, provider);
    }
    const request: TokenRequest = { public: target.kind === 'public' };
    // Stryker disable next-line ConditionalExpression,LogicalOperator: sent beyond private targets, the region is ECR Public's own us-east-1 (what public.ecr.aws and a public request without a registry use anyway) or undefined (no region)
    if (target.region !== undefined && target.kind === 'private') request.region = target.region;
    // A custom name is asked for as its scope's own registry: the token comes back as ECR issued it (an ECR host
    // of the scope's region, or public.ecr.aws), which the cache stores and checks, and which serves the ECR
    // hosts of the scope and every custom name of it alike; get() addresses it to the custom name (#address).
    // Stryker disable next-line ConditionalExpression: true for the host check sends an undefined registry (the caller's own: none); its other cases (a custom name sent, no ECR host sent) are this line's LogicalOperator, BooleanLiteral and EqualityOperator mutants, all killed
    if (target.host !== undefined && !target.custom) request.registry = target.host;
    // The provider's own deadline (the same length) ends the fetch with a typed error; this backstop is for
    // credential providers that do not honour abort signals.
    const timeout = AbortSignal.timeout(Math.max(1, deadline - Date.now()) + 1_000);
    try {
      return await provider.getToken(request, { forceRefresh: true, signal: signal ? AbortSignal.any([timeout, signal]) : timeout });
    } catch (error) {
      // The backstop fired, not the caller: say that the deadline ended it (this is what the cooldown records).
      if (error instanceof mod.AbortedError && timeout.aborted && !signal?.aborted) {
        const label = `GetAuthorizationToken (${target.kind}${target.region === undefined ? '' : `, ${target.region}`})`;
        throw new mod.NetworkError(
          'ECR_AUTH_NETWORK',
          `${label}: no token within the deadline of ${this.#options.timeoutMs} ms (ECR_AUTH_TIMEOUT_MS); the AWS credentials or the API did not answer in time`,
          { cause: error, awsErrorCode: 'TimeoutError', retryable: true },
        );
      }
      throw error;
    }
  }
}

/**
 * The API endpoints in force: the configured one, else the standard variables of `env` (the same ones the
 * cache scope is made of; the SDK itself would read `process.env`, which an embedding program may not share).
 */
function endpointsOf(env: Env, settings: RegistrySettings): { endpoint?: string; publicEndpoint?: string } {
  const endpoint = settings.endpoint ?? (env['AWS_ENDPOINT_URL_ECR'] || env['AWS_ENDPOINT_URL'] || undefined);
  const publicEndpoint = settings.endpoint ?? (env['AWS_ENDPOINT_URL_ECR_PUBLIC'] || env['AWS_ENDPOINT_URL'] || undefined);
  // Stryker disable next-line ConditionalExpression: an endpoint given as undefined is no endpoint (the library spreads each only when defined)
  return { ...(endpoint !== undefined && { endpoint }), ...(publicEndpoint !== undefined && { publicEndpoint }) };
}

/**
 * Keys given in an environment other than the process's own (an embedding program's `main(argv, { env })`):
 * the SDK's default chain reads only `process.env`. With the process's own environment, the chain decides.
 */
function staticCredentialsOf(env: Env, settings: RegistrySettings) {
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  if (env === process.env || settings.profile !== undefined || !accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env['AWS_SESSION_TOKEN'];
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** Credentials of an assumed role, with the profile's (or the default) credentials as the source. */
async function roleCredentials(mod: EcrAuthModule, settings: RegistrySettings, region: string | undefined, env: Env) {
  const { fromTemporaryCredentials, fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  const assume = fromTemporaryCredentials({
    params: {
      RoleArn: settings.roleArn,
      RoleSessionName: settings.roleSessionName ?? 'ecr-auth',
      ...(settings.externalId !== undefined && { ExternalId: settings.externalId }),
    },
    ...(settings.profile !== undefined && { masterCredentials: fromNodeProviderChain({ profile: settings.profile }) }),
    // Stryker disable next-line ObjectLiteral,ConditionalExpression,LogicalOperator,EqualityOperator: without it the SDK gives STS the calling ECR client's region, which is this same region
    clientConfig: { ...(region !== undefined && { region }) },
  });
  // A failure here is STS's (or the source credentials'), not ECR's: say so, or it reads as an ECR outage.
  // The ECR client hands its configuration to its credentials provider (`callerClientConfig`); passed on, STS
  // uses the same request handler, so the proxy and CA settings of ecr-auth (HTTPS_PROXY, NO_PROXY,
  // AWS_CA_BUNDLE, …) apply to STS too.
  return async (identityProperties?: Parameters<typeof assume>[0]) => {
    try {
      return await assume(identityProperties);
    } catch (error) {
      // Stryker disable next-line StringLiteral: roleArn is always set on this path (roleCredentials is only called with one)
      throw roleError(mod, error, settings.roleArn ?? '', env);
    }
  };
}

function roleError(mod: EcrAuthModule, error: unknown, roleArn: string, env: Env): Error {
  if (error instanceof mod.EcrAuthError) return error;
  const e = error as { name?: string; code?: string; message?: string };
  // Node's and STS's messages name hosts and actions, not URLs.
  const why = (e.message ?? String(error)).split('\n')[0] ?? '';
  const network = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)$/.test(e.code ?? '') || e.name === 'TimeoutError' || /ECONNREFUSED|ENOTFOUND|socket hang up/.test(why);
  const endpoint = env['AWS_ENDPOINT_URL_STS'] || env['AWS_ENDPOINT_URL'];
  const where = endpoint ? ` at ${URL.parse(endpoint)?.host ?? 'the configured endpoint'}` : '';
  if (network) return new mod.NetworkError('ECR_AUTH_NETWORK', `could not assume role ${roleArn}: could not reach STS${where} (${e.code ?? e.name ?? 'error'}: ${why})`, { cause: error, retryable: true });
  return new mod.CredentialsError('ECR_AUTH_INVALID_CREDENTIALS', `could not assume role ${roleArn}: STS answered ${e.name ?? 'an error'} (${why}); check the role's trust policy and the source credentials`, { cause: error, retryable: false });
}

function toCached(token: AuthorizationToken, clockOffsetMs: number): Omit<CachedToken, 'v' | 'scope'> {
  return {
    username: token.username,
    password: token.revealPassword(),
    registry: token.registry,
    region: token.region,
    accountId: token.accountId,
    kind: token.kind,
    fetchedAt: token.fetchedAt.getTime(),
    expiresAt: token.expiresAt.getTime(),
    clockOffsetMs,
  };
}

function fromCached(mod: EcrAuthModule, cached: CachedToken): AuthorizationToken {
  return new mod.AuthorizationToken({
    username: cached.username,
    password: cached.password,
    registry: cached.registry,
    proxyEndpoint: `https://${cached.registry}`,
    region: cached.region,
    accountId: cached.accountId,
    kind: cached.kind,
    fetchedAt: new Date(cached.fetchedAt),
    expiresAt: new Date(cached.expiresAt),
  });
}
