import { displayEndpoint, scrubUrls } from './display-url.js';
import {
  AbortedError,
  AccessDeniedError,
  CredentialsError,
  EcrApiError,
  EcrAuthError,
  InvalidOptionError,
  NetworkError,
  REQUIRED_ACTIONS,
  ThrottlingError,
} from './errors.js';
import type { RegistryKind } from './token.js';


const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'ExpiredToken',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);
/** STS's refusals of a web identity token (the SDK's web identity provider, e.g. AWS_WEB_IDENTITY_TOKEN_FILE). */
const WEB_IDENTITY_REFUSED = new Set(['InvalidIdentityTokenException', 'InvalidIdentityToken', 'IDPRejectedClaimException', 'IDPRejectedClaim']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string; clockSkewCorrected?: boolean };
  $retryable?: unknown;
}

const shape = (error: unknown): SdkErrorShape => (typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {});

/** The first line of an AWS message, cut short; AWS messages do not carry secrets, but keep them tidy. */
function summary(message: string | undefined): string {
  // Stryker disable next-line OptionalChaining: split() always returns at least one element
  const line = scrubUrls((message ?? '').split('\n')[0]?.trim() ?? '');
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * Whether an SDK failure is a clock-skew rejection that the SDK has already corrected for, so that an
 * immediate retry will succeed.
 */
function isCorrectedClockSkew(error: SdkErrorShape): boolean {
  return error.$metadata?.clockSkewCorrected === true;
}

/**
 * Turns whatever the SDK (or the network below it) threw into a typed {@link EcrAuthError}, deciding
 * whether it is worth retrying. Never copies anything but AWS's own message text.
 *
 * @param error - the thrown value.
 * @param kind - which API was called, for the access-denied message.
 * @param endpoint - where the call went, for network messages.
 * @returns a typed error with `cause` set to `error`.
 */
export function classifyError(error: unknown, kind: RegistryKind, endpoint: string): EcrAuthError {
  if (error instanceof EcrAuthError) return error;
  const e = shape(error);
  const name = e.name ?? '';
  // A DOMException (an aborted or timed-out signal) has a numeric legacy code: its name says more.
  const code = typeof e.code === 'string' && e.code !== '' ? e.code : name;
  const details = {
    cause: error,
    awsErrorCode: code || undefined,
    httpStatusCode: e.$metadata?.httpStatusCode,
    requestId: e.$metadata?.requestId,
  };

  if (name === 'AbortError') return new AbortedError(error);
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    return new CredentialsError(
      'ECR_AUTH_NO_CREDENTIALS',
      `no AWS credentials found (${summary(e.message)}). Set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ` +
        'run `aws sso login`, or pass `credentials` to the provider',
      { ...details, retryable: false },
    );
  }
  // Stryker disable next-line StringLiteral: no text but the SDK's message can say "region is missing"
  if (/region is missing/i.test(e.message ?? '')) {
    return new InvalidOptionError('no AWS region: pass `region`, set AWS_REGION, or use a registry host that names its region');
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || e.$metadata?.httpStatusCode === 403 && !BAD_CREDENTIALS.has(name)) {
    return new AccessDeniedError(REQUIRED_ACTIONS[kind], details);
  }
  if (WEB_IDENTITY_REFUSED.has(name)) {
    return new CredentialsError(
      'ECR_AUTH_INVALID_CREDENTIALS',
      `STS refused the web identity token (${name}: ${summary(e.message)}). Check the token (AWS_WEB_IDENTITY_TOKEN_FILE), ` +
        'the role (AWS_ROLE_ARN), and that the role trusts its issuer and audience',
      { ...details, retryable: false },
    );
  }
  if (BAD_CREDENTIALS.has(name)) {
    const skew = isCorrectedClockSkew(e);
    return new CredentialsError(
      'ECR_AUTH_INVALID_CREDENTIALS',
      skew
        ? `AWS rejected the request time (${summary(e.message)}); the clock offset was corrected, retrying`
        : `AWS rejected the credentials (${name}: ${summary(e.message)}). Check the access key, secret and session token ` +
            'in use, or refresh an expired session',
      { ...details, retryable: skew },
    );
  }
  if (THROTTLING.has(name) || e.$metadata?.httpStatusCode === 429) {
    return new ThrottlingError('ECR_AUTH_THROTTLED', `ECR throttled the request (${name}); slow down or retry later`, {
      ...details,
      retryable: true,
    });
  }
  // Stryker disable next-line StringLiteral: no text but the error's message can match these words
  if (NETWORK_CODES.has(code) || NETWORK_NAMES.has(name) || /socket hang up|ECONNRESET|network/i.test(e.message ?? '')) {
    return new NetworkError('ECR_AUTH_NETWORK', `could not reach ECR at ${endpoint.includes('://') ? displayEndpoint(endpoint) : endpoint} (${code || name}: ${summary(e.message)})`, {
      ...details,
      retryable: true,
    });
  }
  const status = e.$metadata?.httpStatusCode;
  const serverSide = e.$fault === 'server' || (status !== undefined && status >= 500);
  return new EcrApiError(
    'ECR_AUTH_SERVICE',
    `GetAuthorizationToken failed (${name || 'Error'}${status ? `, HTTP ${status}` : ''}: ${summary(e.message)})`,
    { ...details, retryable: serverSide },
  );
}
