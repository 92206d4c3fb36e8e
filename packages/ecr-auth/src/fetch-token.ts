import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { decodeAuthorizationToken } from './decode.js';
import { EcrApiError } from './errors.js';
import { loadEcrModule, loadEcrPublicModule, type SdkClient } from './sdk-clients.js';
import type { RegistryKind } from './token.js';

const DATE_HEADER_RESOLUTION_MS = 1_000;

/** One `GetAuthorizationToken` answer, decoded, with times on the server's clock. */
export interface FetchedToken {
  username: string;
  password: string;
  /** `https://<account>.dkr.ecr.<region>.<suffix>` for private ECR; `undefined` for ECR Public. */
  proxyEndpoint: string | undefined;
  /** Server clock minus local clock, in ms, as the SDK measured it. */
  clockOffsetMs: number;
  fetchedAt: Date;
  expiresAt: Date;
}

/**
 * Makes one `GetAuthorizationToken` call (private or public) and decodes the answer. No retries here.
 *
 * @param client - an SDK client of the matching kind.
 * @param kind - which API to call.
 * @param signal - cancels the HTTP request.
 * @returns the decoded token.
 */
export async function fetchAuthorizationToken(client: SdkClient, kind: RegistryKind, signal: AbortSignal): Promise<FetchedToken> {
  let data: { authorizationToken?: string | undefined; expiresAt?: Date | undefined; proxyEndpoint?: string | undefined } | undefined;
  if (kind === 'public') {
    const { GetAuthorizationTokenCommand } = loadEcrPublicModule();
    const output = await (client as ECRPUBLICClient).send(new GetAuthorizationTokenCommand({}), { abortSignal: signal });
    data = output.authorizationData;
  } else {
    const { GetAuthorizationTokenCommand } = loadEcrModule();
    const output = await (client as ECRClient).send(new GetAuthorizationTokenCommand({}), { abortSignal: signal });
    data = output.authorizationData?.[0];
  }
  if (!data?.authorizationToken || !(data.expiresAt instanceof Date) || Number.isNaN(data.expiresAt.getTime())) {
    throw new EcrApiError('ECR_AUTH_SERVICE', 'GetAuthorizationToken answered without a token or expiry', { retryable: false });
  }
  // The SDK measures the offset from the response's Date header, which has one-second resolution, so an
  // offset under a second is noise, not skew; the safety margin absorbs what is left.
  const measured = Number(client.config.systemClockOffset ?? 0) || 0;
  const clockOffsetMs = Math.abs(measured) > DATE_HEADER_RESOLUTION_MS ? measured : 0;
  const { username, password } = decodeAuthorizationToken(data.authorizationToken);
  return {
    username,
    password,
    proxyEndpoint: data.proxyEndpoint,
    clockOffsetMs,
    fetchedAt: new Date(Date.now() + clockOffsetMs),
    expiresAt: data.expiresAt,
  };
}
