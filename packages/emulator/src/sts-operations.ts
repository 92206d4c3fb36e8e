/**
 * The STS operations (query protocol, `Version=2011-06-15`): `AssumeRole` and `AssumeRoleWithWebIdentity`.
 * How their form parameters are checked, and the temporary credentials they issue.
 *
 * @module
 */
import { AwsApiError } from './errors.js';
import { PARTITION_IDS } from './partitions.js';
import type { IssuedSession, SessionStore, StsOperationName } from './sessions.js';
import { checkWebIdentityToken, type WebIdentityClaims, type WebIdentityRules } from './web-identity.js';

/** The STS API version the emulator speaks (the form's `Version`). */
export const STS_API_VERSION = '2011-06-15';

/** One STS operation: its IAM action name, its `Action` form value, and whether it must be SigV4-signed. */
export interface StsOperationInfo {
  /** The IAM action, such as `sts:AssumeRole`; also the key in the stats. */
  readonly name: StsOperationName;
  /** The `Action` form parameter that calls it. */
  readonly action: string;
  /** Whether the request must be signed (`AssumeRoleWithWebIdentity` is not: the token is the proof). */
  readonly signed: boolean;
}

/** `sts:AssumeRole`. */
export const STS_ASSUME_ROLE: StsOperationInfo = { name: 'sts:AssumeRole', action: 'AssumeRole', signed: true };

/** `sts:AssumeRoleWithWebIdentity`. */
export const STS_ASSUME_ROLE_WITH_WEB_IDENTITY: StsOperationInfo = {
  name: 'sts:AssumeRoleWithWebIdentity',
  action: 'AssumeRoleWithWebIdentity',
  signed: false,
};

/** Every STS operation the emulator serves. */
export const STS_OPERATIONS: readonly StsOperationInfo[] = [STS_ASSUME_ROLE, STS_ASSUME_ROLE_WITH_WEB_IDENTITY];

/** The SigV4 signing name of STS. */
export const STS_SIGNING_SERVICE = 'sts';

/** Session lifetimes STS allows, seconds, and its default. */
export const MIN_SESSION_SECONDS = 900;
/** The longest session, seconds (12 h). */
export const MAX_SESSION_SECONDS = 43_200;
/** The session lifetime when `DurationSeconds` is absent, seconds. */
export const DEFAULT_SESSION_SECONDS = 3600;
/** The longest session of a role assumed with temporary credentials (role chaining), seconds. */
export const MAX_CHAINED_SESSION_SECONDS = 3600;

/**
 * The operation a form's `Action` and `Version` name.
 *
 * @throws {@link AwsApiError} `InvalidAction` for an action (or version) the emulator does not serve
 */
export function stsOperationFor(form: URLSearchParams): StsOperationInfo {
  const action = form.get('Action') ?? '';
  const version = form.get('Version') ?? 'NO_VERSION_SPECIFIED';
  const operation = STS_OPERATIONS.find((op) => op.action === action);
  if (operation === undefined || version !== STS_API_VERSION) {
    throw new AwsApiError('InvalidAction', `Could not find operation ${action} for version ${version}`);
  }
  return operation;
}

/** A role ARN taken apart. */
export interface RoleArn {
  /** The ARN as given. */
  readonly arn: string;
  /** `aws`, `aws-cn`, … */
  readonly partition: string;
  /** The role's account. */
  readonly accountId: string;
  /** The role's name (the last path segment). */
  readonly name: string;
}

function validation(value: string | null, member: string, constraint: string): AwsApiError {
  const shown = value === null ? 'null' : `'${value}'`;
  return new AwsApiError('ValidationError', `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
}

function required(form: URLSearchParams, name: string, member: string): string {
  const value = form.get(name);
  if (value === null) throw validation(null, member, 'Member must not be null');
  return value;
}

const ROLE_ARN = /^arn:([a-z-]+):iam::(\d{12}):role\/((?:[\x21-\x2e\x30-\x7e]+\/)*)([\w+=,.@-]{1,64})$/;

/**
 * Checks a `RoleArn`: `arn:<partition>:iam::<12 digits>:role/<path/name>` in a partition the emulator knows.
 *
 * @throws {@link AwsApiError} `ValidationError`
 *
 * @example
 * ```ts
 * parseRoleArn('arn:aws-cn:iam::123456789012:role/ci/ecr-pull').name; // 'ecr-pull'
 * ```
 */
export function parseRoleArn(value: string): RoleArn {
  if (value.length < 20 || value.length > 2048) {
    throw validation(value, 'roleArn', `Member must have length ${value.length < 20 ? 'greater than or equal to 20' : 'less than or equal to 2048'}`);
  }
  const match = ROLE_ARN.exec(value);
  if (match === null) throw new AwsApiError('ValidationError', `${value} is invalid: a role ARN is arn:<partition>:iam::<12-digit account>:role/<path/name>`);
  const [, partition, accountId, , name] = match as unknown as [string, string, string, string, string];
  if (!PARTITION_IDS.includes(partition)) throw new AwsApiError('ValidationError', `${value} is invalid: no partition is named ${partition}`);
  return { arn: value, partition, accountId, name };
}

/**
 * Checks a `RoleSessionName`: 2..64 characters of `[\w+=,.@-]`.
 *
 * @throws {@link AwsApiError} `ValidationError`
 */
export function checkSessionName(value: string): string {
  if (value.length < 2) throw validation(value, 'roleSessionName', 'Member must have length greater than or equal to 2');
  if (value.length > 64) throw validation(value, 'roleSessionName', 'Member must have length less than or equal to 64');
  if (!/^[\w+=,.@-]+$/.test(value)) throw validation(value, 'roleSessionName', 'Member must satisfy regular expression pattern: [\\w+=,.@-]*');
  return value;
}

/**
 * Reads `DurationSeconds`: an integer from 900 to `max` (43,200); 3,600 when absent.
 *
 * @throws {@link AwsApiError} `ValidationError`
 */
export function parseDurationSeconds(value: string | null, max = MAX_SESSION_SECONDS): number {
  if (value === null) return Math.min(DEFAULT_SESSION_SECONDS, max);
  if (!/^\d{1,9}$/.test(value)) throw validation(value, 'durationSeconds', 'Member must be an integer');
  const seconds = Number(value);
  if (seconds < MIN_SESSION_SECONDS) throw validation(value, 'durationSeconds', `Member must have value greater than or equal to ${MIN_SESSION_SECONDS}`);
  if (seconds > MAX_SESSION_SECONDS) throw validation(value, 'durationSeconds', `Member must have value less than or equal to ${MAX_SESSION_SECONDS}`);
  if (seconds > max) {
    throw new AwsApiError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  return seconds;
}

function checkExternalId(value: string | null): string | undefined {
  if (value === null) return undefined;
  if (value.length < 2 || value.length > 1224) throw validation(value, 'externalId', `Member must have length ${value.length < 2 ? 'greater than or equal to 2' : 'less than or equal to 1224'}`);
  if (!/^[\w+=,.@:/-]+$/.test(value)) throw validation(value, 'externalId', 'Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*');
  return value;
}

/** What the STS operations need to answer one request. */
export interface StsContext {
  /** The emulator's clock, epoch milliseconds. */
  readonly now: number;
  /** Where temporary credentials are issued. */
  readonly sessions: SessionStore;
  /** Which web identity tokens are accepted. */
  readonly webIdentity: WebIdentityRules;
  /** The roles that may be assumed; any well-formed role ARN when `undefined`. */
  readonly roles: readonly string[] | undefined;
}

/** Who signed an `AssumeRole` call. */
export interface StsCaller {
  /** The signing access key id. */
  readonly accessKeyId: string;
  /** The caller's ARN (a user, or an assumed role when it signed with temporary credentials). */
  readonly arn: string;
  /** The partition of the signing region. */
  readonly partition: string;
  /** Whether it signed with temporary credentials (role chaining: sessions of at most an hour). */
  readonly temporary: boolean;
}

function assumedRoleArn(role: RoleArn, sessionName: string): string {
  return `arn:${role.partition}:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`;
}

function checkAllowed(context: StsContext, role: RoleArn, message: string): void {
  if (context.roles !== undefined && !context.roles.includes(role.arn)) throw new AwsApiError('AccessDenied', message, 403);
}

/**
 * `AssumeRole`: checks the parameters and issues temporary credentials of the role.
 *
 * @throws {@link AwsApiError} `ValidationError`, or `AccessDenied` for a role the emulator was not told to allow
 */
export function assumeRole(form: URLSearchParams, caller: StsCaller, context: StsContext): IssuedSession {
  const role = parseRoleArn(required(form, 'RoleArn', 'roleArn'));
  const sessionName = checkSessionName(required(form, 'RoleSessionName', 'roleSessionName'));
  const seconds = parseDurationSeconds(form.get('DurationSeconds'), caller.temporary ? MAX_CHAINED_SESSION_SECONDS : MAX_SESSION_SECONDS);
  const externalId = checkExternalId(form.get('ExternalId'));
  if (role.partition !== caller.partition) {
    throw new AwsApiError('ValidationError', `${role.arn} is in partition ${role.partition}; this STS region serves partition ${caller.partition}`);
  }
  checkAllowed(context, role, `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${role.arn}`);
  return context.sessions.issue({
    roleArn: role.arn,
    sessionName,
    assumedRoleArn: assumedRoleArn(role, sessionName),
    expiresAtMs: context.now + seconds * 1000,
    operation: STS_ASSUME_ROLE.name,
    requestedBy: caller.accessKeyId,
    ...(externalId === undefined ? {} : { externalId }),
  });
}

/** What `AssumeRoleWithWebIdentity` answers with. */
export interface WebIdentitySession {
  /** The credentials issued. */
  readonly session: IssuedSession;
  /** The token's claims. */
  readonly claims: WebIdentityClaims;
}

/**
 * `AssumeRoleWithWebIdentity`: checks the parameters and the token, and issues temporary credentials of the
 * role.
 *
 * @throws {@link AwsApiError} `ValidationError`, `InvalidIdentityToken`, `ExpiredTokenException`, or
 *   `AccessDenied` for a role the emulator was not told to allow
 */
export function assumeRoleWithWebIdentity(form: URLSearchParams, context: StsContext): WebIdentitySession {
  const role = parseRoleArn(required(form, 'RoleArn', 'roleArn'));
  const sessionName = checkSessionName(required(form, 'RoleSessionName', 'roleSessionName'));
  const token = required(form, 'WebIdentityToken', 'webIdentityToken');
  if (token.length < 4 || token.length > 20_000) {
    throw validation('***', 'webIdentityToken', `Member must have length ${token.length < 4 ? 'greater than or equal to 4' : 'less than or equal to 20000'}`);
  }
  const seconds = parseDurationSeconds(form.get('DurationSeconds'));
  const claims = checkWebIdentityToken(token, context.webIdentity, context.now);
  checkAllowed(context, role, 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  const session = context.sessions.issue({
    roleArn: role.arn,
    sessionName,
    assumedRoleArn: assumedRoleArn(role, sessionName),
    expiresAtMs: context.now + seconds * 1000,
    operation: STS_ASSUME_ROLE_WITH_WEB_IDENTITY.name,
    requestedBy: claims.subject,
  });
  return { session, claims };
}
