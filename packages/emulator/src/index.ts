/**
 * `@ecr-auth/emulator`: a local AWS ECR and ECR Public `GetAuthorizationToken` endpoint over real
 * HTTP, speaking the AWS JSON 1.1 wire protocol with SigV4 verification, so the real AWS SDK and
 * AWS CLI can talk to it; with STS's `AssumeRole` and `AssumeRoleWithWebIdentity` (query protocol),
 * whose temporary credentials it then accepts. For tests, examples and demos.
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
  type Emulator,
  type EmulatorOptions,
  type EmulatorRequestEvent,
  type EmulatorStats,
} from './server.js';
export { FAULT_KINDS, InvalidFaultError, type Fault, type FaultKind, type PendingFault } from './faults.js';
export type { OperationName } from './operations.js';
export type { IssuedSession, StsOperationName } from './sessions.js';
export type { SigV4Credential } from './sigv4.js';
export {
  DEFAULT_WEB_IDENTITY_AUDIENCE,
  webIdentityToken,
  type WebIdentityRules,
  type WebIdentityTokenClaims,
} from './web-identity.js';
