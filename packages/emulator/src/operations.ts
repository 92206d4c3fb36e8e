/**
 * The two GetAuthorizationToken operations: which `X-Amz-Target` names them, how their input is
 * checked and what they answer.
 *
 * @module
 */
import { AwsApiError } from './errors.js';
import { defaultProxyEndpoint } from './partitions.js';
import type { StsOperationName } from './sessions.js';

/**
 * The operations the emulator serves, by their IAM action name: ECR's and ECR Public's
 * `GetAuthorizationToken`, STS's `AssumeRole` and `AssumeRoleWithWebIdentity`.
 *
 * @example
 * ```ts
 * const name: OperationName = 'sts:AssumeRoleWithWebIdentity';
 * emulator.stats().requests[name]; // 0
 * ```
 */
export type OperationName = 'ecr:GetAuthorizationToken' | 'ecr-public:GetAuthorizationToken' | StsOperationName;

/** The ECR operations the emulator serves, by their IAM action name. */
export type EcrOperationName = Exclude<OperationName, StsOperationName>;

/** Every operation name, in the order the stats list them. */
export const OPERATION_NAMES: readonly OperationName[] = [
  'ecr:GetAuthorizationToken',
  'ecr-public:GetAuthorizationToken',
  'sts:AssumeRole',
  'sts:AssumeRoleWithWebIdentity',
];

/** One operation: its IAM action name, its `X-Amz-Target` and the service its SigV4 scope must name. */
export interface OperationInfo {
  /** The IAM action, such as `ecr:GetAuthorizationToken`; also the key in the stats. */
  readonly name: EcrOperationName;
  /** The `X-Amz-Target` header value that calls it. */
  readonly target: string;
  /** The SigV4 signing name (the service in the credential scope): `ecr` or `ecr-public`. */
  readonly signingService: 'ecr' | 'ecr-public';
}

/** Private ECR's `GetAuthorizationToken`. */
export const ECR_GET_AUTHORIZATION_TOKEN: OperationInfo = {
  name: 'ecr:GetAuthorizationToken',
  target: 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
  signingService: 'ecr',
};

/** ECR Public's `GetAuthorizationToken`. */
export const ECR_PUBLIC_GET_AUTHORIZATION_TOKEN: OperationInfo = {
  name: 'ecr-public:GetAuthorizationToken',
  target: 'SpencerFrontendService.GetAuthorizationToken',
  signingService: 'ecr-public',
};

/** Every ECR operation the emulator serves (STS's are in `sts-operations.ts`). */
export const OPERATIONS: readonly OperationInfo[] = [ECR_GET_AUTHORIZATION_TOKEN, ECR_PUBLIC_GET_AUTHORIZATION_TOKEN];

/** The region ECR Public answers in. */
export const ECR_PUBLIC_REGION = 'us-east-1';

/** The operation an `X-Amz-Target` header names, or `undefined` for none the emulator serves. */
export function operationForTarget(target: string | undefined): OperationInfo | undefined {
  return OPERATIONS.find((op) => op.target === target?.trim());
}

/** What an operation needs to answer one request. */
export interface OperationContext {
  /** The region of the request's signing scope. */
  readonly region: string;
  /** The account id of the caller, used when the request names no registry. */
  readonly accountId: string;
  /** The emulator's clock, epoch milliseconds. */
  readonly now: number;
  /** How long the token lasts, seconds. */
  readonly tokenTtlSeconds: number;
  /**
   * The proxy endpoint to answer with instead of the real one; `{account}` and `{region}` in it are
   * replaced.
   */
  readonly proxyEndpoint?: string | undefined;
  /** Hands out the password of a token expiring at the given time (epoch ms). */
  readonly issuePassword: (expiresAtMs: number) => string;
}

/** One `authorizationData` entry of private ECR. */
export interface EcrAuthorizationData {
  /** base64 of `AWS:<password>`. */
  readonly authorizationToken: string;
  /** Expiry, epoch seconds (fractional). */
  readonly expiresAt: number;
  /** `https://<account>.dkr.ecr.<region>.<suffix>`, or the configured override. */
  readonly proxyEndpoint: string;
}

/** The `authorizationData` of ECR Public. */
export interface EcrPublicAuthorizationData {
  /** base64 of `AWS:<password>`. */
  readonly authorizationToken: string;
  /** Expiry, epoch seconds (fractional). */
  readonly expiresAt: number;
}

function serializationError(message: string): AwsApiError {
  return new AwsApiError('SerializationException', message);
}

function inputObject(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw serializationError('Start of structure or map found where not expected.');
  }
  return input as Record<string, unknown>;
}

function validationError(value: unknown, constraint: string): AwsApiError {
  return new AwsApiError(
    'InvalidParameterException',
    `1 validation error detected: Value '${JSON.stringify(value)}' at 'registryIds' failed to satisfy constraint: ${constraint}`,
  );
}

/**
 * Checks the `registryIds` member of a private `GetAuthorizationToken` input.
 *
 * @returns the ids, or `undefined` when the member is absent (or `null`)
 * @throws {@link AwsApiError} `InvalidParameterException` unless it has 1..10 ids of 12 digits
 */
export function parseRegistryIds(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw serializationError("Unexpected value for 'registryIds': expected a list.");
  if (value.length < 1) throw validationError(value, 'Member must have length greater than or equal to 1');
  if (value.length > 10) throw validationError(value, 'Member must have length less than or equal to 10');
  for (const id of value) {
    if (typeof id !== 'string' || !/^[0-9]{12}$/.test(id)) {
      throw validationError(value, 'Member must satisfy constraint: [Member must satisfy regular expression pattern: [0-9]{12}]');
    }
  }
  return value as string[];
}

function tokenFor(context: OperationContext): { authorizationToken: string; expiresAt: number } {
  const expiresAtMs = context.now + context.tokenTtlSeconds * 1000;
  const password = context.issuePassword(expiresAtMs);
  return {
    authorizationToken: Buffer.from(`AWS:${password}`, 'utf8').toString('base64'),
    expiresAt: expiresAtMs / 1000,
  };
}

function proxyEndpointFor(account: string, context: OperationContext): string {
  if (context.proxyEndpoint === undefined) return defaultProxyEndpoint(account, context.region);
  return context.proxyEndpoint.replaceAll('{account}', account).replaceAll('{region}', context.region);
}

/** The body of a private `GetAuthorizationToken` answer. */
export interface EcrGetAuthorizationTokenResponse {
  /** One entry per registry id asked for (the caller's own account when none). */
  authorizationData: EcrAuthorizationData[];
}

/** The body of an ECR Public `GetAuthorizationToken` answer. */
export interface EcrPublicGetAuthorizationTokenResponse {
  /** The single token; ECR Public returns no proxy endpoint. */
  authorizationData: EcrPublicAuthorizationData;
}

/**
 * Private ECR `GetAuthorizationToken`: one entry for the caller's account, or one per requested
 * registry id (all with the same token, which serves every registry in the region).
 *
 * @param input - the parsed JSON body
 * @throws {@link AwsApiError} for an input that is not valid
 */
export function getAuthorizationToken(
  input: unknown,
  context: OperationContext,
): EcrGetAuthorizationTokenResponse {
  const ids = parseRegistryIds(inputObject(input)['registryIds']) ?? [context.accountId];
  const token = tokenFor(context);
  return { authorizationData: ids.map((id) => ({ ...token, proxyEndpoint: proxyEndpointFor(id, context) })) };
}

/**
 * ECR Public `GetAuthorizationToken`: one token, no proxy endpoint.
 *
 * @param input - the parsed JSON body (an object; its members are ignored)
 * @throws {@link AwsApiError} for an input that is not an object
 */
export function getPublicAuthorizationToken(
  input: unknown,
  context: OperationContext,
): EcrPublicGetAuthorizationTokenResponse {
  inputObject(input);
  return { authorizationData: tokenFor(context) };
}

/**
 * The `AccessDeniedException` message AWS IAM gives when no policy allows the operation.
 * The caller is `callerArn` when given (an assumed role), else the emulator's user in `accountId`.
 *
 * @example
 * ```ts
 * accessDeniedMessage(ECR_GET_AUTHORIZATION_TOKEN, '123456789012');
 * // 'User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action'
 * ```
 */
export function accessDeniedMessage(operation: OperationInfo, accountId: string, partition = 'aws', callerArn?: string): string {
  return `User: ${callerArn ?? `arn:${partition}:iam::${accountId}:user/emulator`} is not authorized to perform: ${operation.name} on resource: * because no identity-based policy allows the ${operation.name} action`;
}
