/**
 * AWS Signature Version 4 (header form, `AWS4-HMAC-SHA256`): the canonical request, the string to
 * sign, the signing key, and the verification the emulator runs on every API request.
 *
 * Written from AWS's published description of SigV4
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
 *
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AwsApiError } from './errors.js';

/** The only algorithm the emulator accepts. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** How far, in milliseconds, a request's time may be from the server's clock: 5 minutes, as AWS. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** A set of AWS credentials the emulator accepts (or a client signs with). */
export interface SigV4Credential {
  /** The access key id, such as `AKIAIOSFODNN7EXAMPLE`. */
  readonly accessKeyId: string;
  /** The secret access key. */
  readonly secretAccessKey: string;
  /** The session token of temporary credentials; when set, requests must carry it in `X-Amz-Security-Token`. */
  readonly sessionToken?: string;
}

/**
 * An HTTP request as the verifier sees it.
 *
 * `headers` is a list of name/value pairs as received (Node's `rawHeaders` pairs up this way), so
 * repeated headers keep their order.
 */
export interface SigV4Request {
  /** The HTTP method, such as `POST`. */
  readonly method: string;
  /** The request target as received: path plus optional query, such as `/` or `/?a=b`. */
  readonly url: string;
  /** The headers as name/value pairs, in the order received; names in any case. */
  readonly headers: readonly (readonly [name: string, value: string])[];
  /** The request body (empty for none). */
  readonly body: Uint8Array | string;
}

/** The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header. */
export interface ParsedAuthorization {
  /** The access key id of the `Credential` parameter. */
  readonly accessKeyId: string;
  /** The scope date, `YYYYMMDD`. */
  readonly date: string;
  /** The scope region, such as `us-east-1`. */
  readonly region: string;
  /** The scope service, such as `ecr`. */
  readonly service: string;
  /** The scope terminator, `aws4_request` when well formed. */
  readonly terminator: string;
  /** The lower-cased names of the signed headers, in the order given. */
  readonly signedHeaders: readonly string[];
  /** The signature, lower-case hex. */
  readonly signature: string;
}

/** What the verifier needs besides the request. */
export interface VerifySigV4Options {
  /** Looks up the credential for an access key id; `undefined` for an unknown key. */
  readonly findCredential: (accessKeyId: string) => SigV4Credential | undefined;
  /** The server's current time, epoch milliseconds. */
  readonly now: number;
  /** The service the scope must name (`ecr`, `ecr-public`); not checked when omitted. */
  readonly expectedService?: string | undefined;
  /** Decides whether the scope's region is acceptable; every region is when omitted. */
  readonly acceptRegion?: ((region: string) => boolean) | undefined;
  /** The largest accepted distance between request time and `now`; {@link MAX_CLOCK_SKEW_MS} by default. */
  readonly maxSkewMs?: number | undefined;
  /**
   * Called with the credential once its session token matched, before the time and the signature are
   * checked; throws to refuse it (an expired temporary credential, say).
   */
  readonly acceptCredential?: ((credential: SigV4Credential) => void) | undefined;
}

/** A request that passed {@link verifySigV4}. */
export interface VerifiedSigV4 {
  /** The credential that signed the request. */
  readonly credential: SigV4Credential;
  /** The region of the signing scope. */
  readonly region: string;
  /** The service of the signing scope. */
  readonly service: string;
  /** The request time the client signed, epoch milliseconds. */
  readonly requestTime: number;
}

/** Hex SHA-256 of a string (UTF-8) or bytes. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Uint8Array | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Percent-encodes as SigV4 wants: everything but `A-Z a-z 0-9 - _ . ~`, upper-case hex. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The canonical URI of a path as received on the wire, for every service but S3: dot segments and
 * empty segments removed, then each segment encoded again (so the path ends up encoded twice).
 *
 * @param path - the path part of the request target, still percent-encoded as received
 */
export function canonicalUri(path: string): string {
  if (path === '' || path === '/') return '/';
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(segment));
  }
  const leading = path.startsWith('/') ? '/' : '';
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `${leading}${segments.join('/')}${trailing}`;
}

/**
 * The canonical query string: each name and value decoded, encoded with {@link uriEncode}, sorted
 * by name then value, joined with `&`.
 *
 * @param query - the query as received, without the `?`
 */
export function canonicalQueryString(query: string): string {
  if (query === '') return '';
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([uriEncode(safeDecode(name)), uriEncode(safeDecode(value))]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

/** Values of a header (case-insensitive name), in order received. */
function headerValues(headers: SigV4Request['headers'], name: string): string[] {
  const wanted = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === wanted).map(([, v]) => v);
}

/** The single value of a header, repeated values joined with `,`; `undefined` when absent. */
export function headerValue(headers: SigV4Request['headers'], name: string): string | undefined {
  const values = headerValues(headers, name);
  return values.length === 0 ? undefined : values.join(',');
}

/**
 * The canonical headers block: `name:value\n` for each signed header, values trimmed with inner runs
 * of spaces collapsed, repeated headers joined with `,`.
 */
export function canonicalHeaders(headers: SigV4Request['headers'], signedHeaders: readonly string[]): string {
  return signedHeaders
    .map((name) => {
      const value = headerValues(headers, name)
        .map((v) => v.trim().replace(/\s+/g, ' '))
        .join(',');
      return `${name}:${value}\n`;
    })
    .join('');
}

/**
 * The SigV4 canonical request.
 *
 * @param request - the request (its body is not read; pass `payloadHash`)
 * @param signedHeaders - the lower-cased signed header names, in order
 * @param payloadHash - hex SHA-256 of the body
 */
export function canonicalRequest(
  request: Pick<SigV4Request, 'method' | 'url' | 'headers'>,
  signedHeaders: readonly string[],
  payloadHash: string,
): string {
  const q = request.url.indexOf('?');
  const path = q === -1 ? request.url : request.url.slice(0, q);
  const query = q === -1 ? '' : request.url.slice(q + 1);
  return [
    request.method.toUpperCase(),
    canonicalUri(path),
    canonicalQueryString(query),
    canonicalHeaders(request.headers, signedHeaders),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

/** The credential scope `date/region/service/aws4_request`. */
export function credentialScope(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/aws4_request`;
}

/**
 * The SigV4 string to sign.
 *
 * @param amzDate - the request time, `YYYYMMDDTHHMMSSZ`
 * @param scope - the credential scope, see {@link credentialScope}
 * @param canonical - the canonical request, see {@link canonicalRequest}
 */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [SIGV4_ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

/**
 * The SigV4 signing key: HMAC-SHA256 chained over `AWS4<secret>`, date, region, service and
 * `aws4_request`.
 */
export function deriveSigningKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/** The hex signature of a string to sign under a signing key. */
export function signatureOf(signingKey: Uint8Array, toSign: string): string {
  return createHmac('sha256', signingKey).update(toSign, 'utf8').digest('hex');
}

/** Formats epoch milliseconds as the SigV4 request time, `YYYYMMDDTHHMMSSZ`. */
export function toAmzDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses `YYYYMMDDTHHMMSSZ` to epoch milliseconds; `undefined` when malformed. */
export function parseAmzDate(value: string): number | undefined {
  const m = AMZ_DATE.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return toAmzDate(ms) === value ? ms : undefined;
}

function incomplete(message: string): AwsApiError {
  return new AwsApiError('IncompleteSignatureException', message);
}

function invalid(message: string): AwsApiError {
  return new AwsApiError('InvalidSignatureException', message);
}

/**
 * Parses an `Authorization` header of the SigV4 form.
 *
 * @throws {@link AwsApiError} `IncompleteSignatureException` when it is not well formed
 */
export function parseAuthorization(header: string): ParsedAuthorization {
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'. Only '${SIGV4_ALGORITHM}' is supported.`);
  }
  const params = new Map<string, string>();
  for (const part of trimmed.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((k) => !params.get(k));
  if (missing.length > 0) {
    throw incomplete(missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' '));
  }
  const credential = (params.get('Credential') ?? '').split('/');
  if (credential.length !== 5 || credential.some((c) => c === '')) {
    throw incomplete(
      "Authorization header requires the 'Credential' parameter in the form '<access key id>/<YYYYMMDD>/<region>/<service>/aws4_request'.",
    );
  }
  const [accessKeyId, date, region, service, terminator] = credential as [string, string, string, string, string];
  return {
    accessKeyId,
    date,
    region,
    service,
    terminator,
    signedHeaders: (params.get('SignedHeaders') ?? '').split(';').map((h) => h.trim().toLowerCase()),
    signature: (params.get('Signature') ?? '').toLowerCase(),
  };
}

function sameSecret(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/**
 * Verifies the SigV4 `Authorization` header of a request, as AWS does, in this order: header
 * present and well formed, scope (terminator, service, region, date), known access key, session
 * token, request time within 5 minutes of `now`, signature.
 *
 * @returns the credential and scope of a good request
 * @throws {@link AwsApiError} with the error code AWS uses: `MissingAuthenticationTokenException`,
 *   `IncompleteSignatureException`, `UnrecognizedClientException` or `InvalidSignatureException`
 *
 * @example
 * ```ts
 * const verified = verifySigV4(request, {
 *   findCredential: (id) => (id === 'AKIAIOSFODNN7EXAMPLE' ? credential : undefined),
 *   now: Date.now(),
 *   expectedService: 'ecr',
 * });
 * verified.region; // 'us-east-1'
 * ```
 */
export function verifySigV4(request: SigV4Request, options: VerifySigV4Options): VerifiedSigV4 {
  const header = headerValue(request.headers, 'authorization');
  if (header === undefined || header.trim() === '') {
    if (request.url.includes('X-Amz-Signature=')) {
      throw incomplete('The emulator supports SigV4 in the Authorization header only, not in the query string.');
    }
    throw new AwsApiError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const auth = parseAuthorization(header);

  if (auth.terminator !== 'aws4_request') {
    throw invalid(`Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.terminator}'.`);
  }
  if (options.expectedService !== undefined && auth.service !== options.expectedService) {
    throw invalid(`Credential should be scoped to correct service: '${options.expectedService}'. `);
  }
  if (options.acceptRegion !== undefined && !options.acceptRegion(auth.region)) {
    throw invalid('Credential should be scoped to a valid region. ');
  }
  if (!auth.signedHeaders.includes('host')) {
    throw invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const amzDateHeader = headerValue(request.headers, 'x-amz-date');
  const dateHeader = headerValue(request.headers, 'date');
  let requestTime: number | undefined;
  let amzDate: string;
  if (amzDateHeader !== undefined) {
    requestTime = parseAmzDate(amzDateHeader.trim());
    amzDate = amzDateHeader.trim();
  } else if (dateHeader !== undefined) {
    const parsed = Date.parse(dateHeader);
    requestTime = Number.isNaN(parsed) ? undefined : parsed;
    amzDate = requestTime === undefined ? '' : toAmzDate(requestTime);
  } else {
    throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (requestTime === undefined) {
    throw incomplete(`The request time '${amzDateHeader ?? dateHeader ?? ''}' is not a valid date.`);
  }
  const isoDay = amzDate.slice(0, 8);
  if (auth.date !== isoDay) {
    throw invalid(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${isoDay}', from '${amzDate}'.`,
    );
  }

  const credential = options.findCredential(auth.accessKeyId);
  if (credential === undefined) {
    throw new AwsApiError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  const token = headerValue(request.headers, 'x-amz-security-token');
  const tokenOk =
    credential.sessionToken === undefined
      ? token === undefined
      : token !== undefined && sameSecret(token, credential.sessionToken);
  if (!tokenOk) {
    throw new AwsApiError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  options.acceptCredential?.(credential);

  const maxSkew = options.maxSkewMs ?? MAX_CLOCK_SKEW_MS;
  if (requestTime < options.now - maxSkew) {
    throw invalid(
      `Signature expired: ${amzDate} is now earlier than ${toAmzDate(options.now - maxSkew)} (${toAmzDate(options.now)} - ${maxSkew / 60000} min.)`,
    );
  }
  if (requestTime > options.now + maxSkew) {
    throw invalid(
      `Signature not yet current: ${amzDate} is still later than ${toAmzDate(options.now + maxSkew)} (${toAmzDate(options.now)} + ${maxSkew / 60000} min.)`,
    );
  }

  const payloadHash = sha256Hex(request.body);
  const claimedHash = headerValue(request.headers, 'x-amz-content-sha256');
  if (claimedHash !== undefined && claimedHash.trim().toLowerCase() !== payloadHash) {
    throw invalid("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const canonical = canonicalRequest(request, auth.signedHeaders, payloadHash);
  const toSign = stringToSign(amzDate, credentialScope(auth.date, auth.region, auth.service), canonical);
  const expected = signatureOf(deriveSigningKey(credential.secretAccessKey, auth.date, auth.region, auth.service), toSign);
  if (!sameSecret(expected, auth.signature)) {
    throw invalid(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return { credential, region: auth.region, service: auth.service, requestTime };
}

/** What {@link signSigV4} needs to sign a request. */
export interface SignSigV4Options {
  /** The credential to sign with. */
  readonly credential: SigV4Credential;
  /** The scope region. */
  readonly region: string;
  /** The scope service. */
  readonly service: string;
  /** The signing time, epoch milliseconds. */
  readonly now: number;
}

/**
 * Signs a request (a small client-side counterpart of {@link verifySigV4}, for tests and tools):
 * adds `x-amz-date`, `x-amz-security-token` when the credential has one, and `authorization`.
 * The request's headers must already include `host`. All present headers are signed.
 *
 * @returns the headers to send, including the given ones
 *
 * @example
 * ```ts
 * const headers = signSigV4(
 *   { method: 'POST', url: '/', headers: [['host', '127.0.0.1:4566']], body: '{}' },
 *   { credential, region: 'us-east-1', service: 'ecr', now: Date.now() },
 * );
 * ```
 */
export function signSigV4(request: SigV4Request, options: SignSigV4Options): [string, string][] {
  const amzDate = toAmzDate(options.now);
  const date = amzDate.slice(0, 8);
  const headers: [string, string][] = request.headers.map(([n, v]) => [n, v]);
  headers.push(['x-amz-date', amzDate]);
  if (options.credential.sessionToken !== undefined) {
    headers.push(['x-amz-security-token', options.credential.sessionToken]);
  }
  const signed = [...new Set(headers.map(([n]) => n.toLowerCase()))].sort();
  const canonical = canonicalRequest({ ...request, headers }, signed, sha256Hex(request.body));
  const scope = credentialScope(date, options.region, options.service);
  const signature = signatureOf(
    deriveSigningKey(options.credential.secretAccessKey, date, options.region, options.service),
    stringToSign(amzDate, scope, canonical),
  );
  headers.push([
    'authorization',
    `${SIGV4_ALGORITHM} Credential=${options.credential.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`,
  ]);
  return headers;
}
