/**
 * Service-account token mode (KEP-4412): which role a request asks for, and which cache it uses. Pure; no
 * I/O (the role is assumed on the slow path, see `slow-path.ts`).
 *
 * Precedence of the role: the service account's `eks.amazonaws.com/ecr-role-arn` annotation, else
 * `AWS_ECR_ROLE_ARN` in the provider's environment, else `roleArn` of the registry in the `ecr-auth`
 * configuration file. A token with no role anywhere is not used: the node's default credentials are (as
 * AWS's plugin does). A role without a token is the configuration file's ordinary `roleArn` (assumed with
 * the node's credentials).
 *
 * @module
 */
import { CredentialProviderError } from './errors.js';
import type { CredentialProviderRequest } from './request.js';

/**
 * The annotation that names the role to assume with the service account's token.
 *
 * @example
 * ```yaml
 * metadata:
 *   annotations:
 *     eks.amazonaws.com/ecr-role-arn: arn:aws:iam::123456789012:role/ecr-pull
 * ```
 */
export const ROLE_ANNOTATION = 'eks.amazonaws.com/ecr-role-arn';

/**
 * The session name of the assumed role (as AWS's plugin names it): what CloudTrail shows.
 *
 * @example
 * ```ts
 * fromWebToken({ roleArn, webIdentityToken, roleSessionName: ROLE_SESSION_NAME });
 * ```
 */
export const ROLE_SESSION_NAME = 'ecr-credential-provider';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * A role to assume with a service account's token.
 *
 * @example
 * ```ts
 * const role: ServiceAccountRole | undefined = serviceAccountRole(request, process.env, undefined);
 * role?.from; // 'annotation' | 'AWS_ECR_ROLE_ARN' | 'config'
 * ```
 */
export interface ServiceAccountRole {
  /** The role's ARN. */
  roleArn: string;
  /** Where it came from. */
  from: 'annotation' | 'AWS_ECR_ROLE_ARN' | 'config';
  /** The token (a secret: not enumerable, so that neither `JSON.stringify` nor `util.inspect` shows it). */
  readonly token: string;
  /** The token's subject (`system:serviceaccount:NS:NAME`): part of the cache scope. */
  subject: string;
}

/** The `sub` claim of a JWT, read without verifying the token (STS verifies it). */
function subjectOf(token: string): string | undefined {
  const payload = token.split('.')[1];
  // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: a missing or empty payload makes Buffer.from or JSON.parse throw into the catch below: undefined either way
  if (payload === undefined || payload === '') return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : undefined;
  } catch /* Stryker disable next-line BlockStatement: an empty catch returns undefined as well */ {
    return undefined;
  }
}

/**
 * The role a request assumes with its service-account token, by the precedence above; `undefined` when the
 * request carries no token, or no role is named anywhere (then the node's default credentials serve it).
 *
 * @example
 * ```ts
 * serviceAccountRole(request, process.env, undefined)?.roleArn; // the annotation's role, else AWS_ECR_ROLE_ARN, else the config's
 * ```
 *
 * @param request - the parsed request.
 * @param env - the provider's environment (`AWS_ECR_ROLE_ARN`).
 * @param configRoleArn - the registry's `roleArn` from the configuration file.
 * @returns the role, or `undefined`.
 * @throws {@link CredentialProviderError} (`ECR_AUTH_K8S_SERVICE_ACCOUNT`) for a role that is not an IAM role
 *   ARN, or a token with no readable subject.
 */
export function serviceAccountRole(
  request: CredentialProviderRequest,
  env: Readonly<Record<string, string | undefined>>,
  configRoleArn: string | undefined,
): ServiceAccountRole | undefined {
  const token = request.serviceAccountToken;
  if (token === undefined) return undefined;
  const annotated = request.serviceAccountAnnotations?.[ROLE_ANNOTATION];
  const fromEnv = env['AWS_ECR_ROLE_ARN'];
  let roleArn: string;
  let from: ServiceAccountRole['from'];
  if (annotated !== undefined && annotated !== '') [roleArn, from] = [annotated, 'annotation'];
  else if (fromEnv) [roleArn, from] = [fromEnv, 'AWS_ECR_ROLE_ARN'];
  else if (configRoleArn !== undefined) [roleArn, from] = [configRoleArn, 'config'];
  else return undefined;
  if (!ROLE_ARN.test(roleArn)) {
    throw new CredentialProviderError('ECR_AUTH_K8S_SERVICE_ACCOUNT', `${from === 'annotation' ? `annotation ${ROLE_ANNOTATION}` : from}: ${JSON.stringify(roleArn.slice(0, 200))} is not an IAM role ARN`);
  }
  const subject = subjectOf(token);
  if (subject === undefined) throw new CredentialProviderError('ECR_AUTH_K8S_SERVICE_ACCOUNT', 'the service account token is not a JWT with a subject');
  const role = { roleArn, from, subject } as ServiceAccountRole;
  Object.defineProperty(role, 'token', { value: token, enumerable: false });
  return role;
}

/**
 * The environment a service-account request's tokens are cached under: `ECR_AUTH_CACHE_NAMESPACE` gains the
 * role and the service account, so each (role, service account) has its own cached ECR token. Per role alone
 * would hand a token obtained by one service account to another whose token the role's trust policy refuses.
 * With `credentials`, the role's temporary keys are set too (they go to the SDK from this object only: never
 * into `process.env`, a file or a command line); without them, placeholders of the same kind, which give the
 * same cache scope (the scope depends on the kind of keys, not on their value).
 *
 * @example
 * ```ts
 * const env = serviceAccountEnv(process.env, role); // for reading the cache before assuming the role
 * ```
 *
 * @param env - the provider's environment.
 * @param role - the role and service account.
 * @param credentials - the assumed role's keys, once known.
 * @returns a new environment object.
 */
export function serviceAccountEnv(
  env: Readonly<Record<string, string | undefined>>,
  role: Pick<ServiceAccountRole, 'roleArn' | 'subject'>,
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined },
): Record<string, string | undefined> {
  const namespace = [env['ECR_AUTH_CACHE_NAMESPACE'], `k8s-sa:${role.roleArn}:${role.subject}`].filter(Boolean).join('|');
  const out: Record<string, string | undefined> = { ...env, ECR_AUTH_CACHE_NAMESPACE: namespace };
  delete out['AWS_PROFILE'];
  const keys = credentials ?? { accessKeyId: 'ASIA-web-identity', secretAccessKey: 'web-identity', sessionToken: 'web-identity' };
  out['AWS_ACCESS_KEY_ID'] = keys.accessKeyId;
  out['AWS_SECRET_ACCESS_KEY'] = keys.secretAccessKey;
  if (keys.sessionToken) out['AWS_SESSION_TOKEN'] = keys.sessionToken;
  else delete out['AWS_SESSION_TOKEN'];
  return out;
}
