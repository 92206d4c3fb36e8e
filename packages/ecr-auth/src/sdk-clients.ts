import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { loadEcrModule, loadEcrPublicModule } from './sdk-loader.js';
import { completeLogger, type EcrAuthLogger } from './logger.js';
import type { RegistryKind } from './token.js';

/** Static credentials or an SDK credentials provider, as every AWS SDK client accepts. */
export type CredentialsInput = AwsCredentialIdentity | AwsCredentialIdentityProvider;

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

/** What a token fetch needs to know about where to send it. */
export interface ClientTarget {
  kind: RegistryKind;
  region: string;
  fips: boolean;
  dualStack: boolean;
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
 * Creates an SDK client for one target. It makes a single HTTP attempt per call (`maxAttempts: 1`):
 * retries belong to {@link withRetry}, so they never multiply with the SDK's own.
 *
 * @param target - kind, region and endpoint variant.
 * @param settings - credentials, profile and endpoint overrides.
 * @returns a new client.
 */
export async function createSdkClient(target: ClientTarget, settings: ClientSettings): Promise<SdkClient> {
  const override = endpointOverride(target.kind, settings);
  const config = {
    region: target.region,
    maxAttempts: 1,
    useFipsEndpoint: target.fips && override === undefined,
    useDualstackEndpoint: target.dualStack && override === undefined,
    ...(settings.credentials !== undefined && { credentials: settings.credentials }),
    ...(settings.profile !== undefined && { profile: settings.profile }),
    logger: sdkLogger(settings.logger),
  };
  if (target.kind === 'public') {
    const { ECRPUBLICClient } = await loadEcrPublicModule();
    return new ECRPUBLICClient({ ...config, ...(settings.publicEndpoint !== undefined && { endpoint: settings.publicEndpoint }) });
  }
  const { ECRClient } = await loadEcrModule();
  return new ECRClient({ ...config, ...(settings.endpoint !== undefined && { endpoint: settings.endpoint }) });
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
