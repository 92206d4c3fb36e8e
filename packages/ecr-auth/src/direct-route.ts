/**
 * Decides whether a token fetch may go without the AWS SDK (direct-client.ts), and where it goes. Only when
 * the outcome is the one the SDK would reach: static credentials (given, or the environment's keys that the
 * SDK's default chain would take first), private ECR, no FIPS or dual-stack endpoint, no proxy for the
 * endpoint (`NO_PROXY` counts), no request handler of the caller's, and no setting in the environment or the
 * profile with which the SDK could pick another endpoint. Extra CAs apply as on the SDK's path. Anything else, including what this module does not know, takes the SDK's path.
 *
 * @module
 */
import { readProfile } from './aws-config-file.js';
import { partitionDnsSuffix } from './registry.js';
import type { NetworkSetup } from './request-handler.js';
import type { ClientTarget } from './client-types.js';
import type { ClientSettings } from './sdk-clients.js';
import type { SigningCredentials } from './sigv4.js';

/** Where a direct fetch goes, and what it signs with. */
export interface DirectRoute {
  /** The override (a bare `http(s)://host[:port]`), or the regional endpoint of the SDK's endpoint rules. */
  readonly endpoint: URL;
  /** The region of the signature's scope. */
  readonly region: string;
  readonly credentials: SigningCredentials;
}

/** Profile settings with which the SDK may choose another endpoint. */
const ENDPOINT_SETTINGS = ['use_fips_endpoint', 'use_dualstack_endpoint', 'endpoint_url', 'services', 'ignore_configured_endpoint_urls'];
/** Environment variables with which the SDK may choose another endpoint. */
const ENDPOINT_VARIABLES = ['AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'];

/**
 * The static credentials in force: the `credentials` option when it is a plain object with no expiry, or, with
 * no option and no profile named (option or `AWS_PROFILE`), the keys in the environment, which the SDK's
 * default chain takes before anything else.
 */
function staticCredentials(settings: Pick<ClientSettings, 'credentials' | 'profile'>, env: NodeJS.ProcessEnv): SigningCredentials | undefined {
  const given = settings.credentials;
  if (given !== undefined) {
    // A provider function, or credentials that expire (the SDK would refresh them), stay with the SDK.
    // Stryker disable next-line ConditionalExpression,StringLiteral: a function has no accessKeyId either, and is refused below all the same
    if (typeof given === 'function' || given.expiration !== undefined) return undefined;
    return given.accessKeyId && given.secretAccessKey ? { accessKeyId: given.accessKeyId, secretAccessKey: given.secretAccessKey, sessionToken: given.sessionToken } : undefined;
  }
  if (settings.profile || env['AWS_PROFILE']) return undefined;
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  if (!accessKeyId || !secretAccessKey || env['AWS_CREDENTIAL_EXPIRATION']) return undefined;
  return { accessKeyId, secretAccessKey, sessionToken: env['AWS_SESSION_TOKEN'] || undefined };
}

/** The endpoint of a direct fetch: the override when it is a bare origin, else the regional one. */
function endpointOf(target: ClientTarget, override: string | undefined): URL | undefined {
  if (override === undefined) return new URL(`https://api.ecr.${target.region}.${partitionDnsSuffix(target.region)}`);
  // A path, a query or user information in an endpoint: how the SDK combines them is its own business.
  const url = URL.parse(override);
  // Stryker disable next-line Regex: a URL's protocol is always the scheme and a colon
  if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash || url.pathname !== '/') return undefined;
  return url;
}

/**
 * The route of a direct fetch, or `undefined` when the fetch must go through the SDK.
 *
 * @param target - the registry kind, region and endpoint variant.
 * @param settings - the provider's options.
 * @param override - the endpoint override in force (sdk-clients.ts `endpointOverride`), if any.
 * @param network - the proxy set-up (a proxy for the endpoint keeps the fetch on the SDK's path).
 * @param env - the environment (default `process.env`, which the SDK reads too).
 * @returns the route, or `undefined`.
 */
export async function directRoute(
  target: ClientTarget,
  settings: ClientSettings,
  override: string | undefined,
  network: Pick<NetworkSetup, 'proxyFor'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DirectRoute | undefined> {
  if (target.kind !== 'private' || target.fips || target.dualStack || settings.useFipsEndpoint || settings.useDualstackEndpoint) return undefined;
  if (settings.requestHandler !== undefined) return undefined;
  if (ENDPOINT_VARIABLES.some((name) => env[name])) return undefined;
  const credentials = staticCredentials(settings, env);
  const endpoint = credentials && endpointOf(target, override);
  // Through a proxy, the SDK's path (its routing agents); extra CAs are applied on this path too (direct-client.ts).
  if (!credentials || !endpoint || network.proxyFor(endpoint) !== undefined) return undefined;
  const { settings: profile } = await readProfile(settings.profile, env);
  if (ENDPOINT_SETTINGS.some((key) => profile.has(key))) return undefined;
  return { endpoint, region: target.region, credentials };
}
