/**
 * STS's names for the errors the emulator shares with ECR: SigV4 refusals and injected faults. STS (query
 * protocol) spells them differently from ECR (JSON 1.1), and with other HTTP statuses.
 *
 * @module
 */
import { AwsApiError } from './errors.js';

/** ECR's SigV4 error codes and their STS counterparts (code, HTTP status). */
const SIGV4_CODES: Readonly<Record<string, readonly [code: string, status: number]>> = {
  MissingAuthenticationTokenException: ['MissingAuthenticationToken', 403],
  IncompleteSignatureException: ['IncompleteSignature', 400],
  UnrecognizedClientException: ['InvalidClientTokenId', 403],
  InvalidSignatureException: ['SignatureDoesNotMatch', 403],
  ExpiredTokenException: ['ExpiredToken', 403],
};

/**
 * The error STS gives where ECR gives `error` (a SigV4 refusal); other errors are returned as they are.
 *
 * @example
 * ```ts
 * stsError(new AwsApiError('InvalidSignatureException', 'The request signature …')).type; // 'SignatureDoesNotMatch'
 * ```
 */
export function stsError(error: AwsApiError): AwsApiError {
  const mapped = SIGV4_CODES[error.type];
  return mapped === undefined ? error : new AwsApiError(mapped[0], error.message, mapped[1]);
}

/** The error of an injected `throttle` fault on STS. */
export function stsThrottling(): AwsApiError {
  return new AwsApiError('Throttling', 'Rate exceeded');
}

/** The error of an injected `server-error` fault on STS. */
export function stsServerError(): AwsApiError {
  return new AwsApiError('InternalFailure', 'The emulator was told to fail this request (injected server-error fault).', 500);
}

/**
 * The error of an injected `access-denied` fault on STS, in IAM's wording for the operation.
 *
 * @param action - `AssumeRole` or `AssumeRoleWithWebIdentity`
 * @param callerArn - who signed (`AssumeRole` only)
 * @param roleArn - the role asked for, as given
 */
export function stsAccessDenied(action: string, callerArn: string | undefined, roleArn: string): AwsApiError {
  const message =
    callerArn === undefined
      ? `Not authorized to perform sts:${action}`
      : `User: ${callerArn} is not authorized to perform: sts:${action} on resource: ${roleArn}`;
  return new AwsApiError('AccessDenied', message, 403);
}
