/**
 * The provider's slow path, loaded on a cache miss: the token from `@ecr-auth/cli`'s `TokenSource` (the
 * persistent cache, one fetch per scope across concurrent execs, the shared failure cooldown), with the
 * service account's role assumed first when the request names one.
 *
 * @module
 */
import { cacheDir, configPath, loadConfig, resolveTarget, TokenSource, type TokenTarget } from '@ecr-auth/cli';
import { CredentialProviderError } from './errors.js';
import { cacheDurationSeconds, credentialProviderResponse, type CredentialProviderResponse } from './response.js';
import { ROLE_SESSION_NAME, serviceAccountEnv, type ServiceAccountRole } from './service-account.js';

type Env = Readonly<Record<string, string | undefined>>;

/** What the slow path needs (the fast path's `SlowLookup`). */
export interface SlowRequest {
  /** The parsed request. */
  request: { apiVersion: CredentialProviderResponse['apiVersion']; image: string };
  /** The `auth` key. */
  registry: string;
  /** The role to assume with the service account's token, if any. */
  role: ServiceAccountRole | undefined;
  /** Whether the persistent cache is in use. */
  useCache: boolean;
}

const firstLine = (error: unknown) => ((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '').replace(/^ecr-auth(-credential-provider)?: /, '');

/**
 * Assumes the service account's role with `AssumeRoleWithWebIdentity` (the SDK's `fromWebToken`, STS of the
 * registry's region; `AWS_ENDPOINT_URL_STS` is honoured by the SDK).
 */
async function assumeRole(role: ServiceAccountRole, region: string | undefined, timeoutMs: number) {
  const { fromWebToken } = await import('@aws-sdk/credential-providers');
  const provider = fromWebToken({
    roleArn: role.roleArn,
    webIdentityToken: role.token,
    roleSessionName: ROLE_SESSION_NAME,
    clientConfig: { ...(region !== undefined && { region }) },
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`STS did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([provider(), timeout]);
  } catch (error) {
    throw new CredentialProviderError('ECR_AUTH_K8S_SERVICE_ACCOUNT', `could not assume role ${role.roleArn} (from the ${role.from}) with the service account token: ${firstLine(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Gets the token (through the shared cache) and builds the response.
 *
 * @param lookup - what the fast path found.
 * @param env - the provider's environment.
 * @param timeoutMs - the time left for the whole request, ms.
 * @returns the response.
 * @throws {@link CredentialProviderError}, or `ecr-auth`'s typed errors (one-line messages).
 */
export async function runSlow(lookup: SlowRequest, env: Env, timeoutMs: number): Promise<CredentialProviderResponse> {
  const started = Date.now();
  let target: TokenTarget = resolveTarget(lookup.request.image, loadConfig(configPath(env)), {}, env);
  let sourceEnv: Env = env;
  if (lookup.role) {
    const credentials = await assumeRole(lookup.role, target.region, timeoutMs);
    // The role's keys, handed to TokenSource in its own environment object (see serviceAccountEnv); the
    // configuration's profile and roleArn are not for the service account's role.
    sourceEnv = serviceAccountEnv(env, lookup.role, credentials);
    const { profile: _profile, roleArn: _roleArn, ...settings } = target.settings;
    target = { ...target, settings };
  }
  const source = new TokenSource({
    cacheDir: cacheDir(env),
    useCache: lookup.useCache,
    respectCooldown: true,
    timeoutMs: Math.max(500, timeoutMs - (Date.now() - started)),
    env: sourceEnv,
  });
  try {
    const { token, clockOffsetMs } = await source.get(target);
    const life = { fetchedAt: token.fetchedAt.getTime(), expiresAt: token.expiresAt.getTime(), clockOffsetMs };
    return credentialProviderResponse(lookup.request.apiVersion, lookup.registry, { username: token.username, password: token.revealPassword() }, cacheDurationSeconds(life));
  } finally {
    await source.close();
  }
}
