/**
 * The kubelet's `CredentialProviderRequest` (credentialprovider.kubelet.k8s.io `v1` and `v1beta1`), parsed
 * strictly: one JSON object of known fields, each of the right type. Pure; no I/O.
 *
 * @module
 */
import { CredentialProviderError } from './errors.js';

/**
 * The API versions of the protocol this provider speaks; the response repeats the request's.
 *
 * @example
 * ```ts
 * CREDENTIAL_PROVIDER_API_VERSIONS.includes(request.apiVersion); // true for a parsed request
 * ```
 */
export const CREDENTIAL_PROVIDER_API_VERSIONS = ['credentialprovider.kubelet.k8s.io/v1', 'credentialprovider.kubelet.k8s.io/v1beta1'] as const;

/**
 * One of {@link CREDENTIAL_PROVIDER_API_VERSIONS}.
 *
 * @example
 * ```ts
 * const version: CredentialProviderApiVersion = 'credentialprovider.kubelet.k8s.io/v1';
 * ```
 */
export type CredentialProviderApiVersion = (typeof CREDENTIAL_PROVIDER_API_VERSIONS)[number];

/**
 * The largest request read from stdin: an image name, a service-account token and its annotations fit easily.
 *
 * @example
 * ```ts
 * if (Buffer.byteLength(text) > MAX_REQUEST_BYTES) throw new Error('too large');
 * ```
 */
export const MAX_REQUEST_BYTES = 256 * 1024;

/**
 * A parsed request.
 *
 * @example
 * ```ts
 * const request: CredentialProviderRequest = { apiVersion: 'credentialprovider.kubelet.k8s.io/v1', kind: 'CredentialProviderRequest', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1' };
 * ```
 */
export interface CredentialProviderRequest {
  /** The protocol version the kubelet speaks. */
  apiVersion: CredentialProviderApiVersion;
  /** Always `CredentialProviderRequest`. */
  kind: 'CredentialProviderRequest';
  /** The image to pull, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1`. */
  image: string;
  /** The pod's service-account token (KEP-4412; only when the provider's config has `tokenAttributes`). */
  serviceAccountToken?: string;
  /** The service account's annotations that the provider's config asks for. */
  serviceAccountAnnotations?: Record<string, string>;
}

const KNOWN_KEYS = new Set(['apiVersion', 'kind', 'image', 'serviceAccountToken', 'serviceAccountAnnotations']);

const bad = (message: string) => new CredentialProviderError('ECR_AUTH_K8S_BAD_REQUEST', message);

/** Quotes a value from the request for a message: short, JSON-escaped (no control character reaches a log). */
const quote = (value: string) => JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);

/**
 * Parses the request the kubelet writes on the provider's stdin.
 *
 * @example
 * ```ts
 * const request = parseCredentialProviderRequest(
 *   '{"apiVersion":"credentialprovider.kubelet.k8s.io/v1","kind":"CredentialProviderRequest","image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1"}',
 * );
 * request.image; // '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1'
 * ```
 *
 * @param text - the request as read.
 * @returns the request.
 * @throws {@link CredentialProviderError} (`ECR_AUTH_K8S_BAD_REQUEST`) naming what is wrong, never quoting a token.
 */
export function parseCredentialProviderRequest(text: string): CredentialProviderRequest {
  // Stryker disable next-line StringLiteral: Buffer.byteLength counts UTF-8 for an unknown encoding name too
  if (Buffer.byteLength(text, 'utf8') > MAX_REQUEST_BYTES) throw bad(`the request is larger than ${MAX_REQUEST_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw bad(text.trim() === '' ? 'no request on stdin (expected a CredentialProviderRequest as JSON)' : 'the request on stdin is not valid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('the request must be a JSON object');
  const fields = json as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!KNOWN_KEYS.has(key)) throw bad(`unknown field ${quote(key)} in the request`);
  }
  const { apiVersion, kind, image, serviceAccountToken, serviceAccountAnnotations } = fields;
  // Stryker disable next-line ConditionalExpression: includes() refuses a non-string as well, with the same message (the check is for the type)
  if (typeof apiVersion !== 'string' || !(CREDENTIAL_PROVIDER_API_VERSIONS as readonly string[]).includes(apiVersion)) {
    throw bad(
      `unsupported apiVersion ${typeof apiVersion === 'string' ? quote(apiVersion) : String(apiVersion)}; expected ${CREDENTIAL_PROVIDER_API_VERSIONS.join(' or ')}`,
    );
  }
  if (kind !== 'CredentialProviderRequest') {
    throw bad(`kind must be "CredentialProviderRequest", not ${typeof kind === 'string' ? quote(kind) : String(kind)}`);
  }
  if (typeof image !== 'string' || image.trim() === '') throw bad('the request has no "image"');
  // eslint-disable-next-line no-control-regex -- control characters and whitespace are what is refused
  if (/[\s\u0000-\u001f\u007f]/.test(image)) throw bad(`the image ${quote(image)} contains whitespace or control characters`);
  const request: CredentialProviderRequest = { apiVersion: apiVersion as CredentialProviderApiVersion, kind, image };
  if (serviceAccountToken !== undefined && serviceAccountToken !== '') {
    if (typeof serviceAccountToken !== 'string') throw bad('"serviceAccountToken" must be a string');
    request.serviceAccountToken = serviceAccountToken;
  }
  if (serviceAccountAnnotations !== undefined && serviceAccountAnnotations !== null) {
    if (typeof serviceAccountAnnotations !== 'object' || Array.isArray(serviceAccountAnnotations)) throw bad('"serviceAccountAnnotations" must be an object');
    const annotations: Record<string, string> = {};
    for (const [key, value] of Object.entries(serviceAccountAnnotations)) {
      if (typeof value !== 'string') throw bad(`annotation ${quote(key)} must be a string`);
      annotations[key] = value;
    }
    request.serviceAccountAnnotations = annotations;
  }
  return request;
}

/**
 * The registry part of an image reference, as written (`host[:port]`): what the kubelet matches the
 * response's `auth` keys against.
 *
 * @example
 * ```ts
 * imageRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1'); // '123456789012.dkr.ecr.us-east-1.amazonaws.com'
 * imageRegistry('mirror.example.com:5000/library/nginx'); // 'mirror.example.com:5000'
 * ```
 *
 * @param image - the image reference (an optional `https://` is dropped).
 * @returns the registry host, with its port if the image names one.
 */
export function imageRegistry(image: string): string {
  const bare = image.replace(/^https?:\/\//i, '');
  const slash = bare.indexOf('/');
  return slash === -1 ? bare.replace(/[@].*$/, '') : bare.slice(0, slash);
}
