/**
 * Reads an answer of ECR's JSON 1.1 protocol to `GetAuthorizationToken` as the SDK's client reads it: the first
 * authorization data, or an error of the SDK's shape (name, `$fault`, `$metadata`) that the same
 * classification types. For direct-client.ts.
 *
 * @module
 */
import type * as http from 'node:http';

/** The fields of ECR's answer that a token is made of. */
export interface AuthorizationAnswer {
  authorizationToken?: string | undefined;
  expiresAt?: Date | undefined;
  proxyEndpoint?: string | undefined;
}

/** An HTTP response, read whole. */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A failure ECR answered, shaped as the SDK's service exceptions. */
export class ServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number; requestId: string | undefined; clockSkewCorrected?: boolean };

  constructor(name: string, message: string, status: number, requestId: string | undefined, clockSkewCorrected: boolean) {
    super(message);
    this.name = name;
    this.$fault = status >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: status, requestId, ...(clockSkewCorrected && { clockSkewCorrected }) };
  }
}

/** A response header's (first) value. */
export const responseHeader = (headers: http.IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The error code of a JSON protocol answer: `x-amzn-errortype`, else the body's `code` or `__type`, bare. */
function errorCode(headers: http.IncomingHttpHeaders, body: Record<string, unknown>): string | undefined {
  const raw = responseHeader(headers, 'x-amzn-errortype') ?? body['code'] ?? body['__type'];
  if (typeof raw !== 'string' || raw === '') return undefined;
  // Stryker disable next-line OptionalChaining: split() always returns at least one element
  return raw.split(':')[0]?.split('#').pop();
}

/** A JSON 1.1 timestamp (epoch seconds, as a number or its string), to the millisecond; `null` for anything else. */
function epochSeconds(value: unknown): Date | undefined | null {
  if (value === undefined || value === null) return undefined;
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(seconds) ? new Date(Math.round(seconds * 1000)) : null;
}

/** The body as JSON, or `undefined` when it does not parse; an empty body holds no value. */
function parseJson(text: string): { value: unknown } | undefined {
  // Stryker disable next-line ObjectLiteral: the value of {} is undefined too
  if (text.trim() === '') return { value: undefined };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    // Not JSON.
  }
  return undefined;
}

const asObject = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/**
 * The authorization data of a response, or the error it stands for.
 *
 * @param response - status, headers and body.
 * @param clockSkewCorrected - whether this answer's `Date` changed the clock offset (the SDK says so on its errors).
 * @returns the first authorization data (JSON that is no object holds none; other fields pass as they are).
 * @throws {@link ServiceError} for an error status, a body that does not parse, or an expiry that is no epoch
 *   time (the SDK's deserialization errors carry the HTTP status too).
 */
export function readAnswer(response: RawResponse, clockSkewCorrected: boolean): AuthorizationAnswer {
  const requestId = responseHeader(response.headers, 'x-amzn-requestid');
  const json = parseJson(response.body);
  if (response.status < 200 || response.status > 299) {
    const body = asObject(json?.value);
    const name = errorCode(response.headers, body) ?? 'UnknownError';
    const message = body['message'] ?? body['Message'];
    throw new ServiceError(name, typeof message === 'string' ? message : name, response.status, requestId, clockSkewCorrected);
  }
  if (json === undefined) throw new ServiceError('SyntaxError', 'the answer is not JSON', response.status, requestId, false);
  const list = asObject(json.value)['authorizationData'];
  const data = asObject(Array.isArray(list) ? list[0] : undefined);
  const expiresAt = epochSeconds(data['expiresAt']);
  if (expiresAt === null) throw new ServiceError('TypeError', 'expiresAt is not an epoch time', response.status, requestId, false);
  return { authorizationToken: data['authorizationToken'] as string | undefined, expiresAt, proxyEndpoint: data['proxyEndpoint'] as string | undefined };
}
