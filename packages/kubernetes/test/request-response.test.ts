// The protocol's pure parts in-process: the request parser (every refusal, exactly), the response, the Go
// duration, the cache duration at its edges, and the error class. protocol.test.ts shows the same through the
// built executable, which mutation testing cannot see into.
import { describe, expect, it } from 'vitest';
import { CredentialProviderError } from '../src/errors.ts';
import { CREDENTIAL_PROVIDER_API_VERSIONS, imageRegistry, MAX_REQUEST_BYTES, parseCredentialProviderRequest } from '../src/request.ts';
import { cacheDurationSeconds, credentialProviderResponse, goDuration } from '../src/response.ts';
import { V1, V1BETA1 } from './support.ts';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1';
const text = (fields: Record<string, unknown>) => JSON.stringify({ apiVersion: V1, kind: 'CredentialProviderRequest', image: IMAGE, ...fields });

function refusal(input: string): CredentialProviderError {
  try {
    parseCredentialProviderRequest(input);
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialProviderError);
    return error as CredentialProviderError;
  }
  throw new Error(`accepted: ${input.slice(0, 100)}`);
}
const message = (input: string) => {
  const error = refusal(input);
  expect(error.code).toBe('ECR_AUTH_K8S_BAD_REQUEST');
  return error.message;
};
const P = 'ecr-auth-credential-provider: ';

describe('parseCredentialProviderRequest', () => {
  it('reads both API versions, with and without service-account fields', () => {
    expect(CREDENTIAL_PROVIDER_API_VERSIONS).toEqual([V1, V1BETA1]);
    expect(parseCredentialProviderRequest(text({}))).toEqual({ apiVersion: V1, kind: 'CredentialProviderRequest', image: IMAGE });
    expect(parseCredentialProviderRequest(text({ apiVersion: V1BETA1 }))).toEqual({ apiVersion: V1BETA1, kind: 'CredentialProviderRequest', image: IMAGE });
    expect(parseCredentialProviderRequest(text({ serviceAccountToken: 'a.b.c', serviceAccountAnnotations: { x: 'y', z: '' } }))).toEqual({
      apiVersion: V1,
      kind: 'CredentialProviderRequest',
      image: IMAGE,
      serviceAccountToken: 'a.b.c',
      serviceAccountAnnotations: { x: 'y', z: '' },
    });
    // Empty or null service-account fields are absent ones.
    const bare = parseCredentialProviderRequest(text({ serviceAccountToken: '', serviceAccountAnnotations: null }));
    expect(Object.keys(bare)).toEqual(['apiVersion', 'kind', 'image']);
  });

  it('refuses a request larger than 256 KiB, and takes one of exactly that size', () => {
    expect(MAX_REQUEST_BYTES).toBe(256 * 1024);
    const sized = (bytes: number) => {
      const base = text({ serviceAccountToken: '' });
      return base.replace('"serviceAccountToken":""', `"serviceAccountToken":"${'t'.repeat(bytes - base.length)}"`);
    };
    expect(Buffer.byteLength(sized(MAX_REQUEST_BYTES))).toBe(MAX_REQUEST_BYTES);
    expect(parseCredentialProviderRequest(sized(MAX_REQUEST_BYTES)).image).toBe(IMAGE);
    expect(message(sized(MAX_REQUEST_BYTES + 1))).toBe(`${P}the request is larger than 262144 bytes`);
    // Bytes, not characters.
    const wide = sized(MAX_REQUEST_BYTES - 2).replace('"t', '"\u00e9');
    expect(Buffer.byteLength(wide)).toBe(MAX_REQUEST_BYTES - 1);
    expect(message(sized(MAX_REQUEST_BYTES - 3).replace('"tt', '"\u20ac\u20ac'))).toBe(`${P}the request is larger than 262144 bytes`);
  });

  it('names what is wrong, one refusal at a time', () => {
    expect(message('')).toBe(`${P}no request on stdin (expected a CredentialProviderRequest as JSON)`);
    expect(message(' \n')).toBe(`${P}no request on stdin (expected a CredentialProviderRequest as JSON)`);
    expect(message('{"apiVersion":')).toBe(`${P}the request on stdin is not valid JSON`);
    for (const json of ['[]', 'null', '"x"', '42']) expect(message(json), json).toBe(`${P}the request must be a JSON object`);
    expect(message(text({ extra: 1 }))).toBe(`${P}unknown field "extra" in the request`);
    expect(message(text({ ['k'.repeat(150)]: 1 }))).toBe(`${P}unknown field "${'k'.repeat(100)}…" in the request`);
    expect(message(text({ ['k'.repeat(100)]: 1 }))).toBe(`${P}unknown field "${'k'.repeat(100)}" in the request`);
    expect(message(text({ apiVersion: 'v9' }))).toBe(`${P}unsupported apiVersion "v9"; expected ${V1} or ${V1BETA1}`);
    expect(message(text({ apiVersion: 7 }))).toBe(`${P}unsupported apiVersion 7; expected ${V1} or ${V1BETA1}`);
    expect(message(text({ apiVersion: undefined }))).toBe(`${P}unsupported apiVersion undefined; expected ${V1} or ${V1BETA1}`);
    expect(message(text({ kind: 'Pod' }))).toBe(`${P}kind must be "CredentialProviderRequest", not "Pod"`);
    expect(message(text({ kind: null }))).toBe(`${P}kind must be "CredentialProviderRequest", not null`);
    for (const image of [undefined, 5, '', '   ']) expect(message(text({ image })), String(image)).toBe(`${P}the request has no "image"`);
    for (const image of [`${IMAGE} x`, `${IMAGE}\u0000`, `${IMAGE}\u001f`, `${IMAGE}\u007f`, `${IMAGE}\t`]) {
      expect(message(text({ image })), JSON.stringify(image)).toBe(`${P}the image ${JSON.stringify(image)} contains whitespace or control characters`);
    }
    expect(message(text({ serviceAccountToken: 5 }))).toBe(`${P}"serviceAccountToken" must be a string`);
    for (const serviceAccountAnnotations of ['x', [], 5]) expect(message(text({ serviceAccountAnnotations })), String(serviceAccountAnnotations)).toBe(`${P}"serviceAccountAnnotations" must be an object`);
    expect(message(text({ serviceAccountAnnotations: { a: 'b', role: 5 } }))).toBe(`${P}annotation "role" must be a string`);
  });

  it('never quotes the service-account token in a refusal', () => {
    const error = refusal(text({ serviceAccountToken: 'secret-token-value', kind: 'Pod' }));
    expect(error.message).not.toContain('secret-token-value');
  });
});

describe('imageRegistry', () => {
  it.each([
    [IMAGE, '123456789012.dkr.ecr.us-east-1.amazonaws.com'],
    ['https://123456789012.dkr.ecr.us-east-1.amazonaws.com/app', '123456789012.dkr.ecr.us-east-1.amazonaws.com'],
    ['HTTP://Mirror.example.com:5000/library/nginx', 'Mirror.example.com:5000'],
    ['mirror.example.com:5000', 'mirror.example.com:5000'],
    ['public.ecr.aws@sha256:abc', 'public.ecr.aws'],
    ['ftp://host/x', 'ftp:'],
    ['x.https://host/x', 'x.https:'],
  ])('%s → %s', (image, registry) => {
    expect(imageRegistry(image)).toBe(registry);
  });
});

describe('the response', () => {
  it('repeats the API version and names the registry, as the kubelet expects', () => {
    expect(credentialProviderResponse(V1BETA1, 'r.example.com', { username: 'AWS', password: 'pw' }, 3661)).toEqual({
      apiVersion: V1BETA1,
      kind: 'CredentialProviderResponse',
      cacheKeyType: 'Registry',
      cacheDuration: '1h1m1s',
      auth: { 'r.example.com': { username: 'AWS', password: 'pw' } },
    });
  });

  it('prints durations as Go does', () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(-5)).toBe('0s');
    expect(goDuration(Number.NaN)).toBe('0s');
    expect(goDuration(Number.POSITIVE_INFINITY)).toBe('0s');
    expect(goDuration(0.9)).toBe('0s');
    expect(goDuration(1.9)).toBe('1s');
    expect(goDuration(59)).toBe('59s');
    expect(goDuration(60)).toBe('1m0s');
    expect(goDuration(3599)).toBe('59m59s');
    expect(goDuration(3600)).toBe('1h0m0s');
    expect(goDuration(5 * 3600 + 59 * 60)).toBe('5h59m0s');
    expect(goDuration(41_400)).toBe('11h30m0s');
  });

  it('lets the kubelet keep a token until its renewal is due, then until the safety margin, never past it', () => {
    const NOW = Date.UTC(2026, 0, 1);
    const HOUR = 3_600_000;
    const life = (remainingMs: number, offset = 0) => ({ fetchedAt: NOW + remainingMs - 12 * HOUR, expiresAt: NOW + remainingMs, clockOffsetMs: offset });
    expect(cacheDurationSeconds(life(12 * HOUR), NOW)).toBe(41_400);
    expect(cacheDurationSeconds(life(30 * 60_000 + 1_999), NOW)).toBe(1);
    // At the renewal mark: the time left to the safety margin.
    expect(cacheDurationSeconds(life(30 * 60_000), NOW)).toBe(25 * 60);
    expect(cacheDurationSeconds(life(5 * 60_000 + 1_500), NOW)).toBe(1);
    expect(cacheDurationSeconds(life(5 * 60_000 + 999), NOW)).toBe(0);
    expect(cacheDurationSeconds(life(5 * 60_000), NOW)).toBe(0);
    expect(cacheDurationSeconds(life(-HOUR), NOW)).toBe(0);
    // On the server's clock: an hour ahead is an hour less.
    expect(cacheDurationSeconds(life(12 * HOUR, HOUR), NOW)).toBe(41_400 - 3600);
    // Custom margins.
    expect(cacheDurationSeconds(life(12 * HOUR), NOW, { safetyMarginMs: 60_000, refreshAheadMs: HOUR })).toBe(11 * 3600);
    // A short-lived token: the margins scale with its life (a quarter and a half of it).
    expect(cacheDurationSeconds({ fetchedAt: NOW, expiresAt: NOW + 20_000, clockOffsetMs: 0 }, NOW)).toBe(10);
    // The default clock.
    const now = Date.now();
    expect(cacheDurationSeconds({ fetchedAt: now, expiresAt: now + 12 * HOUR, clockOffsetMs: 0 })).toBeGreaterThanOrEqual(41_399);
  });
});

describe('CredentialProviderError', () => {
  it('one prefixed line, a code, its own name', () => {
    const error = new CredentialProviderError('ECR_AUTH_K8S_DEADLINE', 'first line\nsecond line');
    expect(error.message).toBe(`${P}first line`);
    expect(error.code).toBe('ECR_AUTH_K8S_DEADLINE');
    expect(error.name).toBe('CredentialProviderError');
    expect(error).toBeInstanceOf(Error);
    expect(new CredentialProviderError('ECR_AUTH_K8S_NOT_OURS', '').message).toBe(P);
    // A message of the CLI's modules (a configuration error) carries one prefix, ours; another word is kept.
    expect(new CredentialProviderError('ECR_AUTH_K8S_BAD_REQUEST', 'ecr-auth: /etc/ecr-auth.json: not JSON').message).toBe(`${P}/etc/ecr-auth.json: not JSON`);
    expect(new CredentialProviderError('ECR_AUTH_K8S_BAD_REQUEST', 'ecr-authority: x').message).toBe(`${P}ecr-authority: x`);
    expect(new CredentialProviderError('ECR_AUTH_K8S_BAD_REQUEST', 'see ecr-auth: x').message).toBe(`${P}see ecr-auth: x`);
  });
});
