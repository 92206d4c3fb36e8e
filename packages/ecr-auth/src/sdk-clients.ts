import type { ECRClient, ECRClientConfig } from '@aws-sdk/client-ecr';
import type { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { loadEcrModule, loadEcrPublicModule } from './sdk-loader.js';
import { completeLogger, type EcrAuthLogger } from './logger.js';
import { addNetworkErrorMiddleware } from './network-errors.js';
import { networkSetup, type NetworkSetup } from './request-handler.js';
import type { ClientTarget, CredentialsInput } from './client-types.js';
import type { RegistryKind } from './token.js';

/** How to build SDK clients when the caller did not hand one in. */
export interface ClientSettings {
  /** Credentials; default: the SDK's default chain (env, SSO, profile, IMDS, …). */
  credentials?: CredentialsInput | undefined;
  /** A named profile from the shared AWS config files. */
  profile?: string | undefined;
  /** Endpoint override for private ECR (e.g. the emulator). */
  endpoint?: string | undefined;
  /** Endpoint override for ECR Public. */
  publicEndpoint?: string | undefined;
  /** Where the SDK's own warnings go (instead of the console). */
  logger?: EcrAuthLogger | undefined;
  /** A proxy URL for every request, `false` for none; default: `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`. */
  proxy?: string | false | undefined;
  /** Extra CA certificates (PEM); default: `AWS_CA_BUNDLE`, then the profile's `ca_bundle`. */
  caBundle?: string | Buffer | undefined;
  /** FIPS endpoints; default: the SDK's (`AWS_USE_FIPS_ENDPOINT`, `use_fips_endpoint`). A FIPS host always uses them. */
  useFipsEndpoint?: boolean | undefined;
  /** Dual-stack endpoints; default: the SDK's (`AWS_USE_DUALSTACK_ENDPOINT`, …). A dual-stack host always uses them. */
  useDualstackEndpoint?: boolean | undefined;
  /** The SDK's request handler (or its options), used as is: proxy and CA settings then step aside. */
  requestHandler?: unknown;
}

/**
 * The SDK's logger: its warnings (say, "multiple credential sources") go to our logger's `warn`, first line
 * only; its request and response logs (`debug`/`info`, which may show a token) go nowhere.
 */
function sdkLogger(logger: EcrAuthLogger | undefined) {
  const log = completeLogger(logger);
  const noop = () => undefined;
  const warn = (first: unknown) => {
    // Text warnings are passed on; the logger middleware's failure records (objects with the input and the
    // error) only by name: the error is reported, typed, by the fetch itself.
    if (typeof first === 'string') log.warn(`ecr-auth: AWS SDK: ${first.split('\n')[0] ?? ''}`);
  };
  return { trace: noop, debug: noop, info: noop, warn, error: warn };
}

/** The SDK client for a {@link ClientTarget}: private ECR or ECR Public. */
export type SdkClient = ECRClient | ECRPUBLICClient;

/**
 * Whether an endpoint override is in force for `kind`, from the settings or the standard AWS environment.
 * With one, FIPS and dual-stack endpoint selection must stay off: the SDK refuses FIPS plus a custom endpoint.
 */
export function endpointOverride(kind: RegistryKind, settings: ClientSettings, env: NodeJS.ProcessEnv = process.env): string | undefined {
  // An empty variable is no setting, as the SDK reads it.
  if (kind === 'public') return settings.publicEndpoint ?? (env['AWS_ENDPOINT_URL_ECR_PUBLIC'] || env['AWS_ENDPOINT_URL'] || undefined);
  return settings.endpoint ?? (env['AWS_ENDPOINT_URL_ECR'] || env['AWS_ENDPOINT_URL'] || undefined);
}

/**
 * The endpoint variant settings for a client: with an endpoint override, FIPS and dual-stack stay off (the SDK
 * refuses either with a custom endpoint); otherwise a FIPS or dual-stack registry host turns its variant on,
 * then the caller's option decides, and with neither the setting is left out so the SDK reads
 * `AWS_USE_FIPS_ENDPOINT`/`AWS_USE_DUALSTACK_ENDPOINT` and the profile's `use_fips_endpoint`/`use_dualstack_endpoint`.
 *
 * @param target - the registry's endpoint variant.
 * @param settings - the caller's `useFipsEndpoint`/`useDualstackEndpoint`.
 * @param override - the endpoint override in force, if any.
 * @returns the client configuration entries to set.
 */
export function endpointVariantConfig(
  target: Pick<ClientTarget, 'fips' | 'dualStack'>,
  settings: Pick<ClientSettings, 'useFipsEndpoint' | 'useDualstackEndpoint'>,
  override: string | undefined,
): { useFipsEndpoint?: boolean; useDualstackEndpoint?: boolean } {
  if (override !== undefined) return { useFipsEndpoint: false, useDualstackEndpoint: false };
  const fips = target.fips || settings.useFipsEndpoint;
  const dualStack = target.dualStack || settings.useDualstackEndpoint;
  return { ...(fips !== undefined && { useFipsEndpoint: fips }), ...(dualStack !== undefined && { useDualstackEndpoint: dualStack }) };
}

/**
 * Creates an SDK client for one target. It makes a single HTTP attempt per call (`maxAttempts: 1`):
 * retries belong to {@link withRetry}, so they never multiply with the SDK's own.
 *
 * @param target - kind, region and endpoint variant.
 * @param settings - credentials, profile and endpoint overrides.
 * @param setUp - the proxy and CA set-up, when already made (api-client.ts); made here otherwise.
 * @returns a new client.
 */
export async function createSdkClient(target: ClientTarget, settings: ClientSettings, setUp?: NetworkSetup): Promise<SdkClient> {
  const override = endpointOverride(target.kind, settings);
  const own = settings.requestHandler;
  const [sdk, network] = await Promise.all([
    target.kind === 'public' ? loadEcrPublicModule() : loadEcrModule(),
    own === undefined ? (setUp ?? networkSetup(settings)) : undefined,
  ]);
  // Stryker disable next-line OptionalChaining: network is only undefined when the caller's own handler is set
  const requestHandler = own ?? network?.handlerOptions;
  const config = {
    region: target.region,
    maxAttempts: 1,
    ...endpointVariantConfig(target, settings, override),
    ...(settings.credentials !== undefined && { credentials: settings.credentials }),
    ...(settings.profile !== undefined && { profile: settings.profile }),
    ...(requestHandler !== undefined && { requestHandler: requestHandler as NonNullable<ECRClientConfig['requestHandler']> }),
    logger: sdkLogger(settings.logger),
  };
  // Stryker disable next-line ObjectLiteral: an empty set-up reads as no proxy and no CA all the same
  const setup = network ?? { proxyFor: () => undefined, ca: undefined };
  if ('ECRPUBLICClient' in sdk) {
    const client = new sdk.ECRPUBLICClient({ ...config, ...(settings.publicEndpoint !== undefined && { endpoint: settings.publicEndpoint }) });
    addNetworkErrorMiddleware(client, setup);
    return client;
  }
  const client = new sdk.ECRClient({ ...config, ...(settings.endpoint !== undefined && { endpoint: settings.endpoint }) });
  addNetworkErrorMiddleware(client, setup);
  return client;
}


/**
 * The region the SDK would pick with no region given: `AWS_REGION`, then the profile's config. Loads the
 * SDK only when the environment does not say.
 *
 * @param settings - the profile to read, if any.
 * @returns the region, or `undefined` when none is configured anywhere.
 */
export async function defaultRegion(settings: ClientSettings, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const fromEnv = env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
  if (fromEnv) return fromEnv;
  const { ECRClient } = await loadEcrModule();
  const probe = new ECRClient({ ...(settings.profile !== undefined && { profile: settings.profile }) });
  try {
    return await probe.config.region();
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}
