/**
 * The provider's start-up path: parse the request, place its registry by the CLI's registry rule, and answer
 * from the persistent token cache that `ecr-auth` and `docker-credential-ecr-auth` share. Only `node:`
 * builtins and the CLI's small cache modules: the AWS SDK is loaded by `slow-path.ts` on a miss.
 *
 * The CLI's cache internals (`placeRegistry`, `cacheScope`, `readCachedToken`, `tokenState`, `readCooldown`,
 * `cacheDisabled`) are not exported by `@ecr-auth/cli`: they are imported from its build by relative path,
 * which is sound only because this module is bundled (inlined) into the executable, never published as is.
 *
 * @module
 */
import { ConfigError, configPath, loadConfig } from '../../cli/dist/config-file.js';
import { placeRegistry, type PlacedRegistry } from '../../cli/dist/registry-rule.js';
import { cacheDir, cacheDisabled, cacheScope, readCachedToken, readCooldown, tokenState, type CacheScope, type Env } from '../../cli/dist/token-cache.js';
import { CredentialProviderError } from './errors.js';
import { imageRegistry, parseCredentialProviderRequest, type CredentialProviderRequest } from './request.js';
import { cacheDurationSeconds, credentialProviderResponse, type CredentialProviderResponse } from './response.js';
import { serviceAccountEnv, serviceAccountRole, type ServiceAccountRole } from './service-account.js';

/** What the fast path could not answer alone: the slow path fetches the token. */
export interface SlowLookup {
  /** The request. */
  request: CredentialProviderRequest;
  /** The `auth` key. */
  registry: string;
  /** The role to assume with the service account's token, if any. */
  role: ServiceAccountRole | undefined;
  /** Whether the persistent cache is in use. */
  useCache: boolean;
}

/** The fast path's outcome: an answer, or the lookup for the slow path. */
export type FastOutcome = { response: CredentialProviderResponse } | { slow: SlowLookup };

function place(image: string, env: Env): PlacedRegistry {
  let config;
  try {
    config = loadConfig(configPath(env));
  } catch (error) {
    throw new CredentialProviderError('ECR_AUTH_K8S_BAD_REQUEST', error instanceof ConfigError ? error.message : String(error));
  }
  try {
    return placeRegistry(image, config);
  } catch (error) {
    // Stryker disable next-line Regex: the registry rule's messages start with "ecr-auth: ", so the first match is the prefix
    const why = (error instanceof Error ? error.message : String(error)).replace(/^ecr-auth: /, '');
    throw new CredentialProviderError('ECR_AUTH_K8S_NOT_OURS', why);
  }
}

/**
 * The cache scope a request's token is kept under, as `TokenSource` computes it on the slow path.
 *
 * @param placed - the placed registry.
 * @param role - the service-account role, if any.
 * @param env - the environment.
 * @returns the scope, or `undefined` when the registry's region is not known (the slow path says why).
 */
export function scopeFor(placed: PlacedRegistry, role: ServiceAccountRole | undefined, env: Env): CacheScope | undefined {
  if (placed.region === undefined) return undefined;
  const { settings } = placed;
  if (role) return cacheScope({ kind: placed.kind, region: placed.region, endpoint: settings.endpoint }, serviceAccountEnv(env, role));
  return cacheScope({ kind: placed.kind, region: placed.region, endpoint: settings.endpoint, profile: settings.profile, roleArn: settings.roleArn }, env);
}

/**
 * Runs the cheap part of a request.
 *
 * @param text - the request as read from stdin.
 * @param env - the environment.
 * @param now - local epoch ms.
 * @returns the response, or what the slow path needs.
 * @throws {@link CredentialProviderError} for a request to refuse.
 */
export function runFast(text: string, env: Env, now: number = Date.now()): FastOutcome {
  const request = parseCredentialProviderRequest(text);
  const placed = place(request.image, env);
  const role = serviceAccountRole(request, env, placed.settings.roleArn);
  const registry = imageRegistry(request.image);
  // The auth key must name the very host that was placed: the kubelet hands these credentials to whatever
  // the key matches.
  // Stryker disable next-line ConditionalExpression,BlockStatement: a guard should the two parsers diverge: for every image the registry rule accepts, imageRegistry names the same host (see fast-path.test.ts)
  if (registry.toLowerCase().replace(/:443$/, '') !== placed.host) {
    // Stryker disable next-line StringLiteral,MethodExpression: the message of the guard above, unreachable while the parsers agree
    throw new CredentialProviderError('ECR_AUTH_K8S_NOT_OURS', `the image ${JSON.stringify(request.image.slice(0, 200))} does not name its registry plainly (expected ${placed.host}/…)`);
  }
  const useCache = !cacheDisabled(env);
  const slow = { slow: { request, registry, role, useCache } };
  const scope = scopeFor(placed, role, env);
  if (!useCache || !scope) return slow;
  const dir = cacheDir(env);
  const cached = readCachedToken(dir, scope);
  if (!cached) return slow;
  const state = tokenState(cached, now);
  // Due for renewal: renew on the slow path (which keeps this token if that fails), unless a recent failure
  // recorded by any process is cooling down: then this still-valid token is the answer.
  if (state === 'expired' || (state === 'refresh' && readCooldown(dir, scope) === undefined)) return slow;
  return { response: credentialProviderResponse(request.apiVersion, registry, cached, cacheDurationSeconds(cached, now)) };
}
