/**
 * Web identity tokens (OIDC JWTs) as the emulator's `AssumeRoleWithWebIdentity` judges them: the JWT shape,
 * the claims STS reads, and the issuers and audiences the emulator is told to accept. Signatures are not
 * verified (the emulator has no identity provider's keys); a token must still carry one.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { AwsApiError } from './errors.js';

/**
 * The audience AWS's own web identity clients ask for (EKS service accounts, GitHub Actions' AWS action): the one
 * `AssumeRoleWithWebIdentity` accepts unless {@link WebIdentityRules.audiences} says otherwise.
 *
 * @example
 * ```ts
 * webIdentityToken({ iss: 'https://issuer.example', sub: 'ci', aud: DEFAULT_WEB_IDENTITY_AUDIENCE });
 * ```
 */
export const DEFAULT_WEB_IDENTITY_AUDIENCE = 'sts.amazonaws.com';

/**
 * Which web identity tokens `AssumeRoleWithWebIdentity` accepts, besides a well-formed, unexpired JWT.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({
 *   webIdentity: { issuers: ['https://token.actions.githubusercontent.com'], audiences: ['sts.amazonaws.com'] },
 * });
 * ```
 */
export interface WebIdentityRules {
  /**
   * The issuers (`iss` claim, an `https://` URL) whose tokens are accepted, as IAM OIDC providers of the account.
   *
   * @defaultValue any `https://` issuer.
   */
  readonly issuers?: readonly string[] | undefined;
  /**
   * The audiences accepted: the token's `aud` (a string or a list) must name one of them.
   *
   * @defaultValue `['sts.amazonaws.com']` ({@link DEFAULT_WEB_IDENTITY_AUDIENCE}).
   */
  readonly audiences?: readonly string[] | undefined;
}

/** The claims of an accepted token that STS reports back. */
export interface WebIdentityClaims {
  /** `iss`: the identity provider's URL. */
  readonly issuer: string;
  /** `sub`: who the token is about (a service account, a workflow run). */
  readonly subject: string;
  /** The audience that matched. */
  readonly audience: string;
  /** `exp`, epoch seconds. */
  readonly expiresAt: number;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function invalidToken(detail: string): AwsApiError {
  return new AwsApiError('InvalidIdentityToken', `The ID Token provided is not a valid JWT: ${detail}.`);
}

function jsonPart(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw invalidToken(`its ${what} is not base64url JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidToken(`its ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * Checks a web identity token the way STS does, short of its signature: three base64url parts, a header
 * naming a signing algorithm (not `none`), claims with `iss`, `sub`, `aud` and `exp`, an issuer and an
 * audience the rules accept, and an `exp` after `nowMs`.
 *
 * @returns the claims STS reports back
 * @throws {@link AwsApiError} `InvalidIdentityToken`, or `ExpiredTokenException` for an expired token
 *
 * @example
 * ```ts
 * checkWebIdentityToken(token, { audiences: ['sts.amazonaws.com'] }, Date.now()).subject; // 'system:serviceaccount:apps:puller'
 * ```
 */
export function checkWebIdentityToken(token: string, rules: WebIdentityRules, nowMs: number): WebIdentityClaims {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !BASE64URL.test(p))) throw invalidToken('it is not three base64url parts');
  const [headerPart, claimsPart] = parts as [string, string, string];
  const header = jsonPart(headerPart, 'header');
  if (typeof header['alg'] !== 'string' || header['alg'] === '' || header['alg'].toLowerCase() === 'none') {
    throw invalidToken('its header names no signing algorithm');
  }
  const claims = jsonPart(claimsPart, 'claims');
  const { iss, sub, aud, exp } = claims;
  if (typeof iss !== 'string' || !iss.startsWith('https://')) throw invalidToken('its "iss" is not an https:// URL');
  if (typeof sub !== 'string' || sub === '') throw invalidToken('it has no "sub"');
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw invalidToken('it has no numeric "exp"');
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
  if (rules.issuers !== undefined && !rules.issuers.includes(iss)) {
    throw new AwsApiError('InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${iss}`);
  }
  const accepted = rules.audiences ?? [DEFAULT_WEB_IDENTITY_AUDIENCE];
  const audience = audiences.find((a) => accepted.includes(a));
  if (audience === undefined) throw new AwsApiError('InvalidIdentityToken', 'Incorrect token audience');
  const now = Math.floor(nowMs / 1000);
  if (exp <= now) {
    throw new AwsApiError('ExpiredTokenException', `Token expired: current date/time ${now} must be before the expiration date/time ${exp}`);
  }
  return { issuer: iss, subject: sub, audience, expiresAt: exp };
}

/**
 * The claims of a token made by {@link webIdentityToken}.
 *
 * @example
 * ```ts
 * const claims: WebIdentityTokenClaims = { iss: 'https://token.actions.githubusercontent.com', sub: 'repo:acme/app:ref:refs/heads/main', repository: 'acme/app' };
 * ```
 */
export interface WebIdentityTokenClaims {
  /** `iss`, an `https://` URL. */
  readonly iss: string;
  /** `sub`. */
  readonly sub: string;
  /**
   * `aud`.
   *
   * @defaultValue {@link DEFAULT_WEB_IDENTITY_AUDIENCE}
   */
  readonly aud?: string | readonly string[] | undefined;
  /**
   * `exp`, epoch seconds.
   *
   * @defaultValue an hour from now
   */
  readonly exp?: number | undefined;
  /** Any other claim, kept as given. */
  readonly [claim: string]: unknown;
}

/**
 * Makes a web identity token of the shape identity providers issue (`RS256` header, the claims, a random
 * signature), for tests of `AssumeRoleWithWebIdentity`. It proves nothing outside the emulator.
 *
 * @example
 * ```ts
 * const token = webIdentityToken({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:acme/app:ref:refs/heads/main' });
 * ```
 */
export function webIdentityToken(claims: WebIdentityTokenClaims): string {
  const header = { alg: 'RS256', typ: 'JWT', kid: 'ecr-auth-emulator' };
  const body = { ...claims, aud: claims.aud ?? DEFAULT_WEB_IDENTITY_AUDIENCE, exp: claims.exp ?? Math.floor(Date.now() / 1000) + 3600 };
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  return `${encode(header)}.${encode(body)}.${randomBytes(256).toString('base64url')}`;
}
