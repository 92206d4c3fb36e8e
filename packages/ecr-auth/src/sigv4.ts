/**
 * AWS Signature Version 4 (`AWS4-HMAC-SHA256`, header form) for the one request ecr-auth sends itself (see
 * direct-client.ts): a `POST /` with a JSON body and no query. Written from AWS's published description
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html). The emulator verifies with its
 * own implementation, and the tests compare every signature with the AWS SDK's signer, so that a mistake here
 * cannot hide behind a shared copy.
 *
 * @module
 */
import { createHash, createHmac } from 'node:crypto';

/** Static AWS credentials. */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

/** What is signed: a `POST` to the root path, with these headers (lower-case names) and body. */
export interface RootPostRequest {
  /** The `Host` header's value (`host[:port]`). */
  readonly host: string;
  /** Headers besides `host`, `x-amz-date` and `x-amz-security-token` (which signing adds), lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

// Strings are hashed as UTF-8 (Node's default).
const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();

/** `YYYYMMDD'T'HHMMSS'Z'` of an instant. */
export function amzDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Signs a `POST /` request.
 *
 * @param request - host, headers and body.
 * @param credentials - the keys (and session token) to sign with.
 * @param scope - the region and service (`ecr`) of the credential scope.
 * @param epochMs - the signing time (local clock plus any known offset).
 * @returns every header to send: the request's own, `host`, `x-amz-date`, `x-amz-security-token` when there is
 *   a session token, and `authorization`.
 */
export function signRootPost(request: RootPostRequest, credentials: SigningCredentials, scope: { region: string; service: string }, epochMs: number): Record<string, string> {
  const date = amzDate(epochMs);
  const day = date.slice(0, 8);
  const headers: Record<string, string> = {
    ...request.headers,
    host: request.host,
    'x-amz-date': date,
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
  };
  const names = Object.keys(headers).sort();
  // Header values are trimmed and inner runs of spaces folded to one, as SigV4 asks.
  const canonicalHeaders = names.map((name) => `${name}:${(headers[name] as string).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, signedHeaders, sha256Hex(request.body)].join('\n');
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), scope.region), scope.service), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  headers['authorization'] = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
