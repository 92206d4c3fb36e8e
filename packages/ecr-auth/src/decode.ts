import { TokenDecodeError } from './errors.js';

/** The user name and password inside an ECR authorization token. */
export interface DecodedCredentials {
  /** The user name, `AWS` for ECR. */
  username: string;
  /** The password. Treat as secret. */
  password: string;
}

/**
 * The longest token accepted. Real ECR tokens are a few kilobytes (and can exceed 2048 characters);
 * anything near this size is not a token.
 */
export const MAX_TOKEN_LENGTH = 64 * 1024;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes an ECR authorization token (base64 of `user:password`), splitting at the first colon.
 *
 * Strict: the input must be canonical padded base64 of UTF-8 text, with a non-empty user name and password
 * and no control characters. Errors are {@link TokenDecodeError}s that describe the problem without
 * echoing any part of the token.
 *
 * @param token - the `authorizationToken` field of a `GetAuthorizationToken` response.
 * @returns the user name and password.
 * @throws {@link TokenDecodeError} when the token is malformed.
 *
 * @example
 * ```ts
 * const { username, password } = decodeAuthorizationToken(data.authorizationToken);
 * ```
 */
export function decodeAuthorizationToken(token: string): DecodedCredentials {
  if (typeof token !== 'string') throw new TokenDecodeError(`the authorization token must be a string, got ${typeof token}`);
  if (token.length === 0) throw new TokenDecodeError('the authorization token is empty');
  if (token.length > MAX_TOKEN_LENGTH) {
    throw new TokenDecodeError(`the authorization token is ${token.length} characters long, over the limit of ${MAX_TOKEN_LENGTH}`);
  }
  if (token.length % 4 !== 0 || !BASE64.test(token)) {
    throw new TokenDecodeError('the authorization token is not padded base64 (characters A-Z a-z 0-9 + / and = padding)');
  }
  const bytes = Buffer.from(token, 'base64');
  if (bytes.toString('base64') !== token) {
    throw new TokenDecodeError('the authorization token is not canonical base64 (non-zero padding bits)');
  }
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new TokenDecodeError('the authorization token does not decode to UTF-8 text');
  }
  const colon = text.indexOf(':');
  if (colon < 0) throw new TokenDecodeError('the decoded authorization token has no ":" between user name and password');
  const username = text.slice(0, colon);
  const password = text.slice(colon + 1);
  if (username.length === 0) throw new TokenDecodeError('the decoded authorization token has an empty user name');
  if (password.length === 0) throw new TokenDecodeError('the decoded authorization token has an empty password');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) {
    throw new TokenDecodeError('the decoded authorization token contains control characters');
  }
  return { username, password };
}

/**
 * Encodes a user name and password the way ECR does (base64 of `user:password`): the inverse of
 * {@link decodeAuthorizationToken}.
 *
 * @example
 * ```ts
 * encodeAuthorizationToken({ username: 'AWS', password: 'secret' }); // 'QVdTOnNlY3JldA=='
 * ```
 *
 * @param credentials - the user name (without a colon) and password.
 * @returns the base64 token.
 * @throws {@link TokenDecodeError} when the user name contains a colon or either part is empty.
 */
export function encodeAuthorizationToken(credentials: DecodedCredentials): string {
  if (credentials.username.length === 0 || credentials.password.length === 0) {
    throw new TokenDecodeError('user name and password must both be non-empty');
  }
  if (credentials.username.includes(':')) throw new TokenDecodeError('the user name must not contain ":"');
  // Buffer.from reads a string as UTF-8.
  return Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
}
