import type { ECRClient, ECRClientConfig } from '@aws-sdk/client-ecr';
import type { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import type * as LruCacheModule from 'lru-cache';
import type { LRUCache } from 'lru-cache';
import { raceAbort } from './abort.js';
import { AbortedError, EcrAuthError, InvalidOptionError, TokenExpiredError } from './errors.js';
import { completeLogger, type EcrAuthLogger } from './logger.js';
import { DEFAULT_EXPIRY_MARGINS, effectiveMargins, type EffectiveMargins } from './margins.js';
import { resolveTokenRequest, type ResolvedRequest, type TokenRequest } from './request.js';
import { resolveRetryOptions, type ResolvedRetryOptions, type RetryOptions } from './retry-options.js';
import type * as FetchPipelineModule from './fetch-pipeline.js';
import type { ApiClient } from './api-client.js';
import type { ClientTarget, CredentialsInput } from './client-types.js';
import type { SdkClient } from './sdk-clients.js';
import { AuthorizationToken } from './token.js';

// Loaded on first use, not on import: the fetch machinery (p-retry, error classification, the SDK) on the
// first fetch, lru-cache on the first getToken. Importing `ecr-auth` stays cheap.
let fetchPipeline: Promise<typeof FetchPipelineModule> | undefined;
let lruCache: Promise<typeof LruCacheModule> | undefined;
const loadFetchPipeline = (): Promise<typeof FetchPipelineModule> => (fetchPipeline ??= import('./fetch-pipeline.js'));
const loadLruCache = (): Promise<typeof LruCacheModule> => (lruCache ??= import('lru-cache'));

/** How many parsed registry strings a provider remembers (parsing is cheap; this only spares the hot path). */
const MEMO_LIMIT = 256;

/** How long tokens are kept and when they are refreshed. Every duration is in milliseconds. */
export interface CacheOptions {
  /**
   * How many (region, private/public) entries to keep; least recently used go first.
   *
   * @defaultValue `100`
   */
  maxEntries?: number;
  /**
   * Start a background refresh this long before expiry, while the current token keeps being served.
   * Capped at half the token's lifetime.
   *
   * @defaultValue `1_800_000` (30 minutes)
   */
  refreshAheadMs?: number;
  /**
   * Never hand out a token with less than this left; fetch a new one instead. Capped at a quarter of the
   * token's lifetime.
   *
   * @defaultValue `300_000` (5 minutes)
   */
  safetyMarginMs?: number;
  /**
   * After a failed fetch, wait at least this long before calling the API again for that entry (callers get
   * the last error meanwhile, or the still-valid token). Doubles with each consecutive failure.
   *
   * @defaultValue `2000`
   */
  failureCooldownMs?: number;
  /**
   * Upper bound of the failure cooldown.
   *
   * @defaultValue `60_000`
   */
  maxFailureCooldownMs?: number;
}

/** Options of {@link EcrTokenProvider}. All are optional; the standard AWS environment is honoured. */
export interface EcrTokenProviderOptions {
  /**
   * Default region for requests that name no registry.
   *
   * @defaultValue `AWS_REGION`, then the profile's region
   */
  region?: string;
  /**
   * Credentials or a credentials provider (`@aws-sdk/types`).
   *
   * @defaultValue the SDK's default credential chain
   */
  credentials?: CredentialsInput;
  /**
   * A profile of the shared AWS config files.
   *
   * @defaultValue `AWS_PROFILE`, then `default`
   */
  profile?: string;
  /**
   * Endpoint for private ECR calls (e.g. the emulator).
   *
   * @defaultValue `AWS_ENDPOINT_URL_ECR`, then AWS's endpoint for the region
   */
  endpoint?: string;
  /**
   * Endpoint for ECR Public calls.
   *
   * @defaultValue `AWS_ENDPOINT_URL_ECR_PUBLIC`, then AWS's endpoint
   */
  publicEndpoint?: string;
  /**
   * An `ECRClient` of your own, used for every private call. Its region must match the registries asked
   * for. Its own retry strategy then runs inside each of ours: pass `retry: { retries: 0 }` to leave
   * retries to it alone.
   *
   * @defaultValue a client the provider creates per region (`maxAttempts: 1`, retries are ours)
   */
  client?: ECRClient;
  /**
   * An `ECRPUBLICClient` of your own, used for every ECR Public call (same notes as `client`).
   *
   * @defaultValue a client the provider creates (`us-east-1`, `maxAttempts: 1`)
   */
  publicClient?: ECRPUBLICClient;
  /**
   * A proxy for the SDK clients `ecr-auth` creates: an `http://` or `https://` URL (user and password in it are
   * sent to the proxy, never printed), or `false` to ignore the environment and connect directly. HTTPS goes
   * through a `CONNECT` tunnel, plain HTTP (an emulator, say) is forwarded. `NO_PROXY` still applies to a proxy
   * given here, as in curl.
   *
   * @defaultValue `HTTPS_PROXY` (HTTPS) or `HTTP_PROXY` (HTTP), then `ALL_PROXY`, either case, lower case first;
   *   hosts matching `NO_PROXY` (suffixes, `*`, `:port`, CIDR ranges) directly; as the AWS CLI and curl do.
   * @example
   * ```ts
   * new EcrTokenProvider({ proxy: 'http://proxy.internal:3128' });
   * new EcrTokenProvider({ proxy: false }); // ignore HTTPS_PROXY and friends
   * ```
   */
  proxy?: string | false;
  /**
   * Extra certificate authorities, PEM text of one or more certificates, trusted for HTTPS to AWS (also
   * through a proxy's tunnel) besides Node's default CAs (`NODE_EXTRA_CA_CERTS` included). For a
   * TLS-inspecting proxy or a private endpoint with its own CA.
   *
   * @defaultValue the file named by `AWS_CA_BUNDLE`, else by `ca_bundle` of the profile in the shared config
   *   file; none when neither is set.
   * @example
   * ```ts
   * import { readFileSync } from 'node:fs';
   * import { EcrTokenProvider } from 'ecr-auth';
   *
   * new EcrTokenProvider({ caBundle: readFileSync('/etc/pki/corp-root.pem') });
   * ```
   */
  caBundle?: string | Buffer;
  /**
   * Use FIPS 140 endpoints (`api.ecr-fips.<region>.amazonaws.com`). A FIPS registry host
   * (`….dkr.ecr-fips.…`) always uses them; with an endpoint override they stay off (the SDK refuses both).
   *
   * @defaultValue the SDK's setting: `AWS_USE_FIPS_ENDPOINT`, then `use_fips_endpoint` of the profile; else off.
   * @example
   * ```ts
   * new EcrTokenProvider({ region: 'us-gov-west-1', useFipsEndpoint: true });
   * ```
   */
  useFipsEndpoint?: boolean;
  /**
   * Use dual-stack (IPv4 and IPv6) endpoints (`ecr.<region>.api.aws`). A dual-stack registry host
   * (`….dkr-ecr.<region>.on.aws`) always uses them; with an endpoint override they stay off.
   *
   * @defaultValue the SDK's setting: `AWS_USE_DUALSTACK_ENDPOINT`, then `use_dualstack_endpoint` of the
   *   profile; else off.
   * @example
   * ```ts
   * new EcrTokenProvider({ useDualstackEndpoint: true });
   * ```
   */
  useDualstackEndpoint?: boolean;
  /**
   * The SDK request handler (or its options, such as `{ httpsAgent }`) for the clients `ecr-auth` creates,
   * passed to them as is. With it, `proxy`, `caBundle` and their environment variables are not applied:
   * your handler decides how to connect.
   *
   * @defaultValue a `NodeHttpHandler` with proxy-aware agents when a proxy or CA bundle is configured, the
   *   SDK's default handler otherwise.
   * @example
   * ```ts
   * import { Agent } from 'node:https';
   * import { EcrTokenProvider } from 'ecr-auth';
   *
   * new EcrTokenProvider({ requestHandler: { httpsAgent: new Agent({ keepAlive: true, maxSockets: 10 }) } });
   * ```
   */
  requestHandler?: ECRClientConfig['requestHandler'];
  /**
   * Where to report what happens (compatible with `console` and the SDK logger).
   *
   * @defaultValue none (silent)
   */
  logger?: EcrAuthLogger;
  /**
   * Cache sizing and refresh timing.
   *
   * @defaultValue the defaults of each {@link CacheOptions} field
   */
  cache?: CacheOptions;
  /**
   * Retry policy for `GetAuthorizationToken`.
   *
   * @defaultValue the defaults of each {@link RetryOptions} field
   */
  retry?: RetryOptions;
}

/** Per-call options of {@link EcrTokenProvider.getToken}. */
export interface GetTokenOptions {
  /** Aborts this call only; other callers waiting for the same token are not affected. */
  signal?: AbortSignal;
  /**
   * Skip the cache and the failure cooldown: always call the API (callers still coalesce).
   *
   * @defaultValue `false`
   */
  forceRefresh?: boolean;
}

/** One cached token per (region, kind, endpoint variant), shared by every registry it serves. */
interface CacheEntry {
  readonly target: ClientTarget;
  token: AuthorizationToken | undefined;
  /** Server clock minus local clock when the token was fetched. */
  clockOffsetMs: number;
  /** Local epoch ms until which the token needs no refresh: the hot path checks only this. */
  freshUntil: number;
  /** The same token addressed to other registries of the region, built on demand. */
  readonly byRegistry: Map<string, AuthorizationToken>;
  inflight: Promise<AuthorizationToken> | undefined;
  consecutiveFailures: number;
  lastError: EcrAuthError | undefined;
  /** Local epoch ms before which no new API call is made (after a failure). */
  retryAt: number;
}

const DEFAULT_CACHE: Required<CacheOptions> = {
  maxEntries: 100,
  ...DEFAULT_EXPIRY_MARGINS,
  failureCooldownMs: 2_000,
  maxFailureCooldownMs: 60_000,
};

function checkDuration(name: string, value: number): void {
  // Durations end in `Ms`; the others (maxEntries, retries, factor) are counts and ratios.
  const what = name.endsWith('Ms') ? 'a finite number of milliseconds' : 'a finite number';
  if (!Number.isFinite(value) || value < 0) throw new InvalidOptionError(`${name} must be ${what} >= 0, got ${value}`);
}

/**
 * Gets ECR and ECR Public authorization tokens, with an expiry-aware cache in front of the API.
 *
 * - One API call serves every registry of a region: many registries and many concurrent callers cost one
 *   call, which all of them wait for.
 * - Tokens are refreshed in the background ahead of expiry while the valid one keeps being served; a
 *   failed refresh keeps the valid token and backs off. An expired token, or one inside the safety
 *   margin, is never returned. Expiry is judged on the server's clock (the SDK's measured offset).
 * - Retries (throttling, 5xx, resets, timeouts) use exponential backoff with jitter under a deadline; the
 *   SDK clients it creates make one attempt each, so the worst case is `retries + 1` calls per fetch.
 * - The SDK is loaded on the first fetch, not on import. With static credentials (given, or
 *   `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` in the environment with no profile named), with no proxy
 *   for the endpoint, no FIPS or dual-stack endpoint and no endpoint settings in the profile, private ECR's
 *   `GetAuthorizationToken` is signed (SigV4) and sent by ecr-auth itself, and the SDK is not loaded at all;
 *   answers and errors are handled exactly as on the SDK's path. A credentials provider function always goes
 *   through the SDK.
 *
 * @example
 * ```ts
 * import { EcrTokenProvider } from 'ecr-auth';
 *
 * const provider = new EcrTokenProvider({ region: 'eu-west-1' });
 * const token = await provider.getToken('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1');
 * console.log(token.registry, token.expiresAt); // the password stays hidden
 * ```
 */
export class EcrTokenProvider {
  readonly #options: EcrTokenProviderOptions;
  readonly #cacheOptions: Required<CacheOptions>;
  readonly #retryOptions: ResolvedRetryOptions;
  readonly #logger: Required<EcrAuthLogger>;
  /** Created on the first getToken (lru-cache loads then). */
  #entries: LRUCache<string, CacheEntry> | undefined;
  /** Registry strings already placed. */
  readonly #requests = new Map<string, ResolvedRequest>();
  readonly #clients = new Map<string, Promise<ApiClient>>();
  readonly #closed = new AbortController();
  #defaultRegion: Promise<string | undefined> | undefined;

  /** @param options - see {@link EcrTokenProviderOptions}; all optional. */
  constructor(options: EcrTokenProviderOptions = {}) {
    this.#options = options;
    this.#cacheOptions = { ...DEFAULT_CACHE, ...options.cache };
    for (const [name, value] of Object.entries(this.#cacheOptions)) checkDuration(`cache.${name}`, value);
    if (!Number.isInteger(this.#cacheOptions.maxEntries) || this.#cacheOptions.maxEntries < 1) {
      throw new InvalidOptionError(`cache.maxEntries must be a whole number >= 1, got ${this.#cacheOptions.maxEntries}`);
    }
    this.#retryOptions = resolveRetryOptions(options.retry);
    for (const [name, value] of Object.entries(this.#retryOptions)) checkDuration(`retry.${name}`, value);
    this.#logger = completeLogger(options.logger);
  }

  /**
   * Returns a valid token for a registry, from the cache when it can.
   *
   * @param request - a registry host, URL or image reference (`host/repo:tag`), or a {@link TokenRequest}
   *   for custom names, ECR Public or the caller's own registry. Omitted: the caller's own private
   *   registry in the default region.
   * @param options - this call's `signal` and `forceRefresh`.
   * @returns a token addressed to the requested registry, valid for at least the safety margin.
   * @throws {@link RegistryParseError} for a registry it cannot place, {@link AccessDeniedError},
   *   {@link CredentialsError}, {@link ThrottlingError}, {@link NetworkError}, {@link EcrApiError},
   *   {@link AbortedError}: all {@link EcrAuthError}s with a stable `code`.
   */
  getToken(request?: string | TokenRequest, options: GetTokenOptions = {}): Promise<AuthorizationToken> {
    // The hot path: a registry string seen before, whose token is fresh. No await, no allocation.
    if (typeof request === 'string' && !options.forceRefresh && !options.signal?.aborted) {
      const resolved = this.#requests.get(request);
      if (resolved) {
        const entry = this.#entries?.get(resolved.cacheKey);
        if (entry?.token && Date.now() < entry.freshUntil) return Promise.resolve(this.#addressed(entry, entry.token, resolved));
      }
    }
    return this.#getToken(request, options);
  }

  /**
   * Tokens for several registries at once; registries of one region share one API call.
   *
   * @param requests - registries as for {@link EcrTokenProvider.getToken}.
   * @param options - as for {@link EcrTokenProvider.getToken}.
   * @returns one token per request, in order.
   */
  getTokens(requests: readonly (string | TokenRequest)[], options: GetTokenOptions = {}): Promise<AuthorizationToken[]> {
    return Promise.all(requests.map((request) => this.getToken(request, options)));
  }

  /** Forgets every cached token (the next call fetches anew). In-flight fetches still complete. */
  clear(): void {
    this.#entries?.clear();
  }

  /** Stops in-flight fetches, drops the cache and destroys the SDK clients this provider created. */
  async close(): Promise<void> {
    this.#closed.abort(new Error('EcrTokenProvider closed'));
    this.#entries?.clear();
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    for (const client of await Promise.allSettled(clients)) {
      if (client.status === 'fulfilled' && client.value !== this.#options.client && client.value !== this.#options.publicClient) {
        client.value.destroy();
      }
    }
  }

  async #getToken(request: string | TokenRequest | undefined, options: GetTokenOptions): Promise<AuthorizationToken> {
    if (options.signal?.aborted) throw new AbortedError(options.signal.reason);
    const resolved = await this.#resolve(request);
    const entry = await this.#entryFor(resolved);
    const now = Date.now();
    if (!options.forceRefresh && entry.token && this.#usable(entry, entry.token, now)) {
      if (now >= entry.freshUntil && !entry.inflight && now >= entry.retryAt) {
        this.#startRefresh(entry, resolved, 'background').catch(() => {
          // Reported by #startRefresh; the valid token keeps being served.
        });
      }
      return this.#addressed(entry, entry.token, resolved);
    }
    if (!options.forceRefresh && !entry.inflight && entry.lastError && now < entry.retryAt) {
      throw entry.lastError;
    }
    const token = await raceAbort(entry.inflight ?? this.#startRefresh(entry, resolved, 'cold'), options.signal);
    return this.#addressed(entry, token, resolved);
  }

  async #resolve(request: string | TokenRequest | undefined): Promise<ResolvedRequest> {
    // The memo only spares parsing a string again (and serves the hot path, which checks it itself): a miss
    // parses the same string to the same result, so these lookups are not behaviour.
    // Stryker disable next-line ConditionalExpression: see above
    const memoKey = typeof request === 'string' ? request : undefined;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
    const memo = memoKey === undefined ? undefined : this.#requests.get(memoKey);
    // Stryker disable next-line ConditionalExpression: see above
    if (memo) return memo;
    const resolved = resolveTokenRequest(request ?? {}, this.#options.region ?? (await this.#fallbackRegion(request)));
    // Stryker disable next-line ConditionalExpression: storing under undefined is never read back (see above)
    if (memoKey !== undefined) {
      if (this.#requests.size >= MEMO_LIMIT) this.#requests.clear();
      this.#requests.set(memoKey, resolved);
    }
    return resolved;
  }

  /** The default region, looked up once, only when a request needs it. */
  async #fallbackRegion(request: string | TokenRequest | undefined): Promise<string | undefined> {
    const needsRegion = request === undefined || (typeof request === 'object' && request.registry === undefined && !request.public && !request.region);
    if (!needsRegion) return undefined;
    this.#defaultRegion ??= loadFetchPipeline().then((pipeline) => pipeline.defaultRegion(this.#options));
    return this.#defaultRegion;
  }

  async #entryFor(resolved: ResolvedRequest): Promise<CacheEntry> {
    // Stryker disable next-line ConditionalExpression: only spares the import; ??= below keeps the cache that exists
    if (!this.#entries) {
      const { LRUCache } = await loadLruCache();
      this.#entries ??= new LRUCache<string, CacheEntry>({ max: this.#cacheOptions.maxEntries });
    }
    let entry = this.#entries.get(resolved.cacheKey);
    if (!entry) {
      entry = {
        target: resolved.target,
        token: undefined,
        clockOffsetMs: 0,
        freshUntil: 0,
        byRegistry: new Map(),
        inflight: undefined,
        consecutiveFailures: 0,
        lastError: undefined,
        retryAt: 0,
      };
      this.#entries.set(resolved.cacheKey, entry);
    }
    return entry;
  }

  #margins(token: AuthorizationToken): EffectiveMargins {
    return effectiveMargins(token.expiresAt.getTime() - token.fetchedAt.getTime(), this.#cacheOptions);
  }

  #usable(entry: CacheEntry, token: AuthorizationToken, now: number): boolean {
    return !token.isExpired(now + entry.clockOffsetMs, this.#margins(token).safety);
  }

  #startRefresh(entry: CacheEntry, resolved: ResolvedRequest, reason: 'cold' | 'background'): Promise<AuthorizationToken> {
    const target = entry.target;
    const label = `GetAuthorizationToken (${target.kind}, ${target.region})`;
    this.#logger.debug(`ecr-auth: ${label}: ${reason === 'cold' ? 'fetching' : 'refreshing ahead of expiry'}`);
    const fetch = async (): Promise<AuthorizationToken> => {
      const pipeline = await loadFetchPipeline();
      const client = await this.#clientFor(target, pipeline);
      const endpoint = pipeline.endpointOverride(target.kind, this.#options) ?? `${target.kind} ECR in ${target.region}`;
      const fetched = await pipeline.fetchWithRetries({
        client,
        target,
        endpoint,
        retry: this.#retryOptions,
        logger: this.#logger,
        label,
        signal: this.#closed.signal,
      });
      const registry = fetched.registry ?? resolved.defaultRegistry;
      const token = new AuthorizationToken({
        username: fetched.username,
        password: fetched.password,
        registry,
        proxyEndpoint: `https://${registry}`,
        region: target.region,
        // Stryker disable next-line ConditionalExpression,OptionalChaining,Regex: fetched.registry is undefined only for ECR Public, whose host has no account; a private one is a checked host that starts with its 12-digit account
        accountId: fetched.registry === undefined ? undefined : /^(\d{12})\./.exec(registry)?.[1],
        kind: target.kind,
        fetchedAt: fetched.fetchedAt,
        expiresAt: fetched.expiresAt,
      });
      const { safety, refreshAhead } = this.#margins(token);
      if (token.isExpired(Date.now() + fetched.clockOffsetMs, safety)) {
        throw new TokenExpiredError(registry, token.expiresAt);
      }
      entry.token = token;
      entry.clockOffsetMs = fetched.clockOffsetMs;
      entry.freshUntil = token.expiresAt.getTime() - fetched.clockOffsetMs - refreshAhead;
      entry.byRegistry.clear();
      entry.consecutiveFailures = 0;
      entry.lastError = undefined;
      entry.retryAt = 0;
      this.#logger.info(`ecr-auth: ${label}: token for ${registry} valid until ${token.expiresAt.toISOString()}`);
      return token;
    };
    const inflight = fetch()
      .catch(async (error: unknown) => {
        const typed = error instanceof EcrAuthError ? error : (await loadFetchPipeline()).classifyError(error, target.kind, target.region);
        entry.consecutiveFailures += 1;
        entry.lastError = typed;
        const cooldown = Math.min(
          this.#cacheOptions.maxFailureCooldownMs,
          this.#cacheOptions.failureCooldownMs * 2 ** (entry.consecutiveFailures - 1),
        );
        entry.retryAt = Date.now() + cooldown;
        const level = reason === 'background' ? 'warn' : 'debug';
        this.#logger[level](`ecr-auth: ${label}: ${typed.message} (next attempt in ${Math.round(cooldown / 1000)} s)`);
        throw typed;
      })
      .finally(() => {
        entry.inflight = undefined;
      });
    entry.inflight = inflight;
    return inflight;
  }

  #addressed(entry: CacheEntry, token: AuthorizationToken, resolved: ResolvedRequest): AuthorizationToken {
    const host = resolved.registry;
    if (host === undefined || host === token.registry) return token;
    let addressed = entry.byRegistry.get(host);
    if (!addressed) {
      addressed = token.withRegistry(host, resolved.accountId);
      entry.byRegistry.set(host, addressed);
    }
    return addressed;
  }

  #clientFor(target: ClientTarget, pipeline: typeof FetchPipelineModule): Promise<ApiClient> {
    const own = target.kind === 'public' ? this.#options.publicClient : this.#options.client;
    const key = `${target.kind}|${target.region}|${target.fips}|${target.dualStack}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = own ? checkOwnClientRegion(own, target) : pipeline.createApiClient(target, this.#options);
      this.#clients.set(key, client);
      client.catch(() => this.#clients.delete(key));
    }
    return client;
  }
}

async function checkOwnClientRegion(client: SdkClient, target: ClientTarget): Promise<SdkClient> {
  const region = await client.config.region();
  if (region !== target.region) {
    throw new InvalidOptionError(
      `the ${target.kind === 'public' ? 'ECRPUBLICClient' : 'ECRClient'} passed in is for region ${region}, ` +
        `but a registry in ${target.region} was asked for; pass a provider per region, or let ecr-auth create its clients`,
    );
  }
  return client;
}
