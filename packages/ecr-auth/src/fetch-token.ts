import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { decodeAuthorizationToken } from './decode.js';
import { DirectEcrClient } from './direct-client.js';
import { EcrApiError } from './errors.js';
import { parseRegistry, printable, type ParsedRegistry } from './registry.js';
import type { ApiClient } from './api-client.js';
import { loadEcrModule, loadEcrPublicModule } from './sdk-loader.js';
import type { RegistryKind } from './token.js';

const DATE_HEADER_RESOLUTION_MS = 1_000;

/** One `GetAuthorizationToken` answer, decoded, with times on the server's clock. */
export interface FetchedToken {
  username: string;
  password: string;
  /** `https://<account>.dkr.ecr.<region>.<suffix>` for private ECR; `undefined` for ECR Public. */
  proxyEndpoint: string | undefined;
  /** The host of `proxyEndpoint`, checked to be a registry of the requested region; `undefined` for ECR Public. */
  registry: string | undefined;
  /** Server clock minus local clock, in ms, as the SDK measured it. */
  clockOffsetMs: number;
  fetchedAt: Date;
  expiresAt: Date;
}

/**
 * The registry host of ECR's answer, which callers that name no registry write into auth files: accepted only
 * when it is exactly a private ECR host of the region asked, so that a spoofed or misconfigured endpoint
 * cannot direct a token to a host of its choosing.
 */
function answeredRegistry(proxyEndpoint: string, region: string): string {
  let parsed: ParsedRegistry | undefined;
  let shown = '(not a URL)';
  try {
    const url = new URL(proxyEndpoint);
    shown = printable(url.host);
    if (url.username === '' && url.password === '' && url.search === '' && url.hash === '' && /^https?:$/.test(url.protocol)) parsed = parseRegistry(url.host);
  } catch {
    // Not a URL, or not an ECR host: refused below.
  }
  if (parsed?.kind !== 'private' || parsed.region !== region || parsed.repository !== undefined) {
    throw new EcrApiError(
      'ECR_AUTH_SERVICE',
      `GetAuthorizationToken answered with proxy endpoint host "${shown}", which is not an ECR registry in ${region}; ` +
        'the endpoint is not AWS ECR (check AWS_ENDPOINT_URL_ECR and the endpoint option), so no token is addressed to it',
      // Stryker disable next-line ObjectLiteral: not retryable is EcrApiError's default; said here for the reader
      { retryable: false },
    );
  }
  return parsed.host;
}

/**
 * Makes one `GetAuthorizationToken` call (private or public) and decodes the answer. No retries here.
 *
 * @param client - an SDK client of the matching kind, or ecr-auth's own (private ECR).
 * @param target - which API to call, and the region asked.
 * @param signal - cancels the HTTP request.
 * @returns the decoded token.
 */
export async function fetchAuthorizationToken(client: ApiClient, target: { kind: RegistryKind; region: string }, signal: AbortSignal): Promise<FetchedToken> {
  const { kind } = target;
  let data: { authorizationToken?: string | undefined; expiresAt?: Date | undefined; proxyEndpoint?: string | undefined } | undefined;
  if (client instanceof DirectEcrClient) {
    data = await client.getAuthorizationToken(signal);
  } else if (kind === 'public') {
    const { GetAuthorizationTokenCommand } = await loadEcrPublicModule();
    const output = await (client as ECRPUBLICClient).send(new GetAuthorizationTokenCommand({}), { abortSignal: signal });
    data = output.authorizationData;
  } else {
    const { GetAuthorizationTokenCommand } = await loadEcrModule();
    const output = await (client as ECRClient).send(new GetAuthorizationTokenCommand({}), { abortSignal: signal });
    data = output.authorizationData?.[0];
  }
  if (!data?.authorizationToken || !(data.expiresAt instanceof Date) || Number.isNaN(data.expiresAt.getTime())) {
    // Stryker disable next-line ObjectLiteral: not retryable is EcrApiError's default; said here for the reader
    throw new EcrApiError('ECR_AUTH_SERVICE', 'GetAuthorizationToken answered without a token or expiry', { retryable: false });
  }
  // The SDK measures the offset from the response's Date header, which has one-second resolution, so an
  // offset under a second is noise, not skew; the safety margin absorbs what is left.
  const measured = Number(client.config.systemClockOffset ?? 0) || 0;
  const clockOffsetMs = Math.abs(measured) > DATE_HEADER_RESOLUTION_MS ? measured : 0;
  const { username, password } = decodeAuthorizationToken(data.authorizationToken);
  // ECR Public names no proxy endpoint: its registry is always public.ecr.aws.
  const proxyEndpoint = kind === 'public' ? undefined : data.proxyEndpoint;
  return {
    username,
    password,
    proxyEndpoint,
    registry: proxyEndpoint === undefined ? undefined : answeredRegistry(proxyEndpoint, target.region),
    clockOffsetMs,
    fetchedAt: new Date(Date.now() + clockOffsetMs),
    expiresAt: data.expiresAt,
  };
}
