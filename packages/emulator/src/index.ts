/**
 * `@ecr-auth/emulator`: a local AWS ECR and ECR Public `GetAuthorizationToken` endpoint over real
 * HTTP, speaking the AWS JSON 1.1 wire protocol with SigV4 verification, so the real AWS SDK and
 * AWS CLI can talk to it. For tests, examples and demos.
 *
 * @example
 * ```ts
 * import { startEmulator } from '@ecr-auth/emulator';
 *
 * const emulator = await startEmulator({ password: 'test-password' });
 * // point the SDK at emulator.url with emulator.credentials[0]
 * emulator.injectFault({ kind: 'throttle', count: 2 });
 * await emulator.stop();
 * ```
 *
 * @packageDocumentation
 */
export {
  startEmulator,
  DEFAULT_CREDENTIALS,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_TOKEN_TTL_SECONDS,
  MAX_BODY_BYTES,
  type Emulator,
  type EmulatorOptions,
  type EmulatorRequestEvent,
  type EmulatorStats,
} from './server.js';
export {
  FAULT_KINDS,
  MAX_FAULT_COUNT,
  MAX_FAULT_DELAY_MS,
  FaultQueue,
  InvalidFaultError,
  parseFault,
  type ActiveFault,
  type Fault,
  type ParsedFault,
  type FaultKind,
  type PendingFault,
} from './faults.js';
export { AwsApiError, type AwsErrorBody } from './errors.js';
export {
  ECR_GET_AUTHORIZATION_TOKEN,
  ECR_PUBLIC_GET_AUTHORIZATION_TOKEN,
  ECR_PUBLIC_REGION,
  OPERATIONS,
  accessDeniedMessage,
  getAuthorizationToken,
  getPublicAuthorizationToken,
  operationForTarget,
  parseRegistryIds,
  type EcrAuthorizationData,
  type EcrGetAuthorizationTokenResponse,
  type EcrPublicGetAuthorizationTokenResponse,
  type EcrPublicAuthorizationData,
  type OperationContext,
  type OperationInfo,
  type OperationName,
} from './operations.js';
export { defaultProxyEndpoint, isRegionName, partitionForRegion, type PartitionInfo } from './partitions.js';
export { randomEcrPassword } from './passwords.js';
export {
  MAX_CLOCK_SKEW_MS,
  SIGV4_ALGORITHM,
  canonicalHeaders,
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  credentialScope,
  deriveSigningKey,
  headerValue,
  parseAmzDate,
  parseAuthorization,
  sha256Hex,
  signSigV4,
  signatureOf,
  stringToSign,
  toAmzDate,
  uriEncode,
  verifySigV4,
  type ParsedAuthorization,
  type SigV4Credential,
  type SigV4Request,
  type SignSigV4Options,
  type VerifiedSigV4,
  type VerifySigV4Options,
} from './sigv4.js';
