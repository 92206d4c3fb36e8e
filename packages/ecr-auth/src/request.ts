import { InvalidOptionError, RegistryParseError } from './errors.js';
import { ECR_PUBLIC_HOSTS, ECR_PUBLIC_REGION, parseRegistry, partitionDnsSuffix, registryHost } from './registry.js';
import type { ClientTarget } from './client-types.js';

/**
 * What token to get, when a bare registry string is not enough.
 *
 * @example
 * ```ts
 * // A pull-through proxy with a custom name:
 * await provider.getToken({ registry: 'ecr.internal.example.com', region: 'eu-west-1', accountId: '123456789012' });
 * // ECR Public:
 * await provider.getToken({ public: true });
 * ```
 */
export interface TokenRequest {
  /**
   * A registry host, URL or image reference. ECR hosts say their own region; any other name (a proxy,
   * a VPC endpoint alias) needs `region`. Omitted: the caller's own registry (private) or `public.ecr.aws`.
   */
  registry?: string;
  /** The region to get the token from: required for custom names; for no registry, overrides the default. */
  region?: string;
  /** The 12-digit account of a custom-named registry, when known (reported on the token). */
  accountId?: string;
  /** For ECR Public (`public.ecr.aws`) when `registry` is not given, or for a custom name that fronts it. */
  public?: boolean;
}

/** A request placed: which cache entry and client serve it, and which host the token is addressed to. */
export interface ResolvedRequest {
  readonly cacheKey: string;
  readonly target: ClientTarget;
  /** The host the token must carry; `undefined` to keep the one ECR answers with. */
  readonly registry: string | undefined;
  readonly accountId: string | undefined;
  /** The host to use when ECR's answer names none (ECR Public). */
  readonly defaultRegistry: string;
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;

function checkRegion(region: string): string {
  if (!REGION.test(region)) throw new InvalidOptionError(`"${region}" is not an AWS region name (like us-east-1)`);
  return region;
}

function place(
  kind: ClientTarget['kind'],
  region: string,
  registry: string | undefined,
  accountId: string | undefined,
  flags: { fips: boolean; dualStack: boolean } = { fips: false, dualStack: false },
): ResolvedRequest {
  const target: ClientTarget = { kind, region, ...flags };
  return {
    cacheKey: `${kind}|${region}|${flags.fips ? 'fips' : ''}|${flags.dualStack ? 'dualstack' : ''}`,
    target,
    registry,
    accountId,
    // Only a private request for the caller's own registry comes without one (ECR Public always names its host).
    defaultRegistry: registry ?? `ecr.${region}.${partitionDnsSuffix(region)}`,
  };
}

/**
 * Places a token request: its kind, region, endpoint variant and the host the token is addressed to.
 *
 * @param request - a registry reference or a {@link TokenRequest}.
 * @param fallbackRegion - the region for requests that name none.
 * @returns where to get the token and how to address it.
 * @throws {@link RegistryParseError} or {@link InvalidOptionError} when the request cannot be placed.
 */
export function resolveTokenRequest(request: string | TokenRequest, fallbackRegion: string | undefined): ResolvedRequest {
  const { registry, region, accountId, public: isPublic = false } = typeof request === 'string' ? { registry: request } : request;
  if (accountId !== undefined && !ACCOUNT.test(accountId)) {
    throw new InvalidOptionError(`accountId must be 12 digits, got "${accountId}"`);
  }
  if (registry === undefined) {
    if (isPublic) return place('public', ECR_PUBLIC_REGION, 'public.ecr.aws', undefined);
    const chosen = region ?? fallbackRegion;
    if (!chosen) throw new InvalidOptionError('no AWS region: pass `region`, set AWS_REGION, or name a registry host');
    return place('private', checkRegion(chosen), undefined, accountId);
  }
  try {
    const parsed = parseRegistry(registry);
    if (region !== undefined && region !== parsed.region) {
      throw new InvalidOptionError(`region "${region}" does not match registry ${parsed.host}, which is in ${parsed.region}`);
    }
    return place(parsed.kind, parsed.region, parsed.host, parsed.accountId, parsed);
  } catch (error) {
    if (!(error instanceof RegistryParseError) || region === undefined) throw error;
    const host = registryHost(registry);
    if (isPublic || ECR_PUBLIC_HOSTS.includes(host)) return place('public', ECR_PUBLIC_REGION, host, undefined);
    return place('private', checkRegion(region), host, accountId);
  }
}
