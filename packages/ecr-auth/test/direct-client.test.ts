// ecr-auth's own GetAuthorizationToken (direct-client.ts, used for static credentials with no proxy) must
// end every fetch as the SDK's path does. Each case runs on both paths, the same provider settings but for the
// credentials' form (static: ecr-auth's own request; a provider function: the SDK), and compares what the caller
// gets: the token, or the error's class, code, retryability and HTTP status, and how many requests were made.
// Against the emulator (faults, a skewed clock, bad keys, a stopped server) and against a plain HTTP server that
// answers what ECR never should (not JSON, no token, a huge body, bare errors).
import type { Emulator } from '@ecr-auth/emulator';
import { EcrApiError, EcrAuthError, EcrTokenProvider, type EcrTokenProviderOptions } from 'ecr-auth';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIRECT_DEBUG_LINE, emulatorCredentials, startTestEmulator, TRANSPORTS, type Transport } from '../../../test-support/emulator.ts';
import { ledgerLogger } from '../../../test-support/leaks.ts';
import { makeTestCertificates, type TestCertificates } from '../../../test-support/tls-certs.ts';
import { needTools } from '../../../test-support/tools.ts';

const KEYS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** What a fetch ended with, comparable across the two paths. */
async function outcome(transport: Transport, endpoint: string, keys: typeof KEYS, options: EcrTokenProviderOptions = {}) {
  const lines: string[] = [];
  const logger = ledgerLogger();
  const provider = new EcrTokenProvider({
    region: 'us-east-1',
    endpoint,
    credentials: transport.credentials(keys),
    logger: { ...logger, debug: (line) => lines.push(line) },
    ...options,
    retry: { retries: 0, ...options.retry },
  });
  try {
    const token = await provider.getToken();
    // Validity in minutes: each path fetches its own token, a few ms apart.
    const validMinutes = Math.round((token.expiresAt.getTime() - token.fetchedAt.getTime()) / 60_000);
    return { direct: lines.some((line) => DIRECT_DEBUG_LINE.test(line)), token: { registry: token.registry, username: token.username, validMinutes } };
  } catch (error) {
    if (!(error instanceof EcrAuthError)) throw error;
    const { retryable, httpStatusCode } = error instanceof EcrApiError ? error : { retryable: undefined, httpStatusCode: undefined };
    return { direct: lines.some((line) => DIRECT_DEBUG_LINE.test(line)), error: { class: error.constructor.name, code: error.code, retryable, httpStatusCode } };
  } finally {
    await provider.close();
  }
}

const [DIRECT, SDK] = TRANSPORTS;

/** Runs a case on both paths; they must agree, each must have taken its own path. */
async function bothPaths(run: (transport: Transport) => Promise<Awaited<ReturnType<typeof outcome>> & { calls?: number }>) {
  const direct = await run(DIRECT);
  const sdk = await run(SDK);
  expect(direct.direct).toBe(true);
  expect(sdk.direct).toBe(false);
  const { direct: _d, ...directRest } = direct;
  const { direct: _s, ...sdkRest } = sdk;
  expect(directRest).toEqual(sdkRest);
  return directRest;
}

describe('against the emulator: the same outcome on both paths', () => {
  let emulator: Emulator;
  const start = async (options: Parameters<typeof startTestEmulator>[0] = {}) => {
    emulator = await startTestEmulator(options);
    closers.push(() => emulator.stop());
  };
  const calls = () => emulator.stats().requests['ecr:GetAuthorizationToken'] ?? 0;
  const run = async (transport: Transport, keys = emulatorCredentials(emulator), options: EcrTokenProviderOptions = {}) => {
    emulator.resetStats();
    const result = await outcome(transport, emulator.url, keys, options);
    return { ...result, calls: calls() };
  };

  it('a token (the positive control), decoded and addressed alike', async () => {
    await start({ tokenTtlSeconds: 7200 });
    const result = await bothPaths((t) => run(t));
    expect(result).toMatchObject({ token: { registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com', username: 'AWS' }, calls: 1 });
  });

  it.each([
    { fault: 'throttle', class: 'ThrottlingError' },
    { fault: 'server-error', class: 'EcrApiError' },
    { fault: 'reset', class: 'NetworkError' },
    { fault: 'access-denied', class: 'AccessDeniedError' },
  ] as const)('the fault $fault: $class', async ({ fault, class: expected }) => {
    await start();
    const result = await bothPaths(async (t) => {
      emulator.injectFault({ kind: fault, count: 1 });
      return run(t);
    });
    expect(result).toMatchObject({ error: { class: expected }, calls: 1 });
  });

  it('a fault on the first attempt only: retried, then a token', async () => {
    await start();
    const result = await bothPaths(async (t) => {
      emulator.injectFault({ kind: 'server-error', count: 1 });
      return run(t, emulatorCredentials(emulator), { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 } });
    });
    expect(result).toMatchObject({ token: { username: 'AWS' }, calls: 2 });
  });

  it('a wrong secret: CredentialsError, not retried', async () => {
    await start();
    const result = await bothPaths((t) => run(t, { ...emulatorCredentials(emulator), secretAccessKey: 'wrong' }, { retry: { retries: 2, minDelayMs: 1 } }));
    expect(result).toMatchObject({ error: { class: 'CredentialsError', code: 'ECR_AUTH_INVALID_CREDENTIALS', retryable: false }, calls: 1 });
  });

  it.each([3_600, -3_600])('a server clock %i s off ours: refused once, the offset taken, then a token', async (seconds) => {
    await start({ clockOffsetSeconds: seconds, tokenTtlSeconds: 12 * 3600 });
    const result = await bothPaths((t) => run(t, emulatorCredentials(emulator), { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 } }));
    expect(result).toMatchObject({ token: { username: 'AWS' }, calls: 2 });
    // Negative control: with no retry, the refusal itself is what the caller gets, retryable (the clock was corrected).
    const once = await bothPaths((t) => run(t));
    expect(once).toMatchObject({ error: { class: 'CredentialsError', retryable: true }, calls: 1 });
  });

  it('a stopped server: NetworkError, retryable', async () => {
    await start();
    const url = emulator.url;
    await emulator.stop();
    const result = await bothPaths(async (t) => outcome(t, url, KEYS));
    expect(result).toMatchObject({ error: { class: 'NetworkError', code: 'ECR_AUTH_NETWORK', retryable: true } });
  });
});

const openssl = needTools('openssl');

describe.skipIf(openssl.skip)(openssl.title('over HTTPS, against an emulator with its own CA: the same outcome on both paths'), () => {
  let certs: TestCertificates;
  let emulator: Emulator;
  beforeAll(async () => {
    certs = await makeTestCertificates();
    emulator = await startTestEmulator({ tls: { cert: certs.cert, key: certs.key } });
  });
  afterAll(async () => {
    await emulator.stop();
    await certs.remove();
  });

  it('trusts the CA given (caBundle) beside Node’s own, and gets a token', async () => {
    const result = await bothPaths((t) => outcome(t, emulator.url, emulatorCredentials(emulator), { caBundle: certs.caPem }));
    expect(result).toMatchObject({ token: { registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com' } });
  });

  it('negative control: without the CA, the certificate is not trusted (NetworkError, not retried)', async () => {
    const result = await bothPaths((t) => outcome(t, emulator.url, emulatorCredentials(emulator)));
    expect(result).toMatchObject({ error: { class: 'NetworkError', code: 'ECR_AUTH_NETWORK', retryable: false } });
  });
});

/** A plain HTTP server on 127.0.0.1 that answers every request with `answer`, recording the request headers. */
async function answering(answer: { status: number; headers?: Record<string, string>; body?: string }) {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  server.unref();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const GOOD = JSON.stringify({ authorizationData: [{ authorizationToken: Buffer.from('AWS:pw').toString('base64'), expiresAt: Math.floor(Date.now() / 1000) + 43_200, proxyEndpoint: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com' }] });

describe('against a server that answers what ECR should not: the same outcome on both paths', () => {
  it.each([
    { name: 'a good answer (the positive control)', answer: { status: 200, body: GOOD }, expected: { token: { registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com' } } },
    { name: 'no authorization data', answer: { status: 200, body: '{"authorizationData":[]}' }, expected: { error: { class: 'EcrApiError', retryable: false } } },
    { name: 'an expiry that is not a number', answer: { status: 200, body: GOOD.replace(/"expiresAt":\d+/, '"expiresAt":"tomorrow"') }, expected: { error: { class: 'EcrApiError', retryable: false, httpStatusCode: 200 } } },
    { name: 'an expiry as a string of its number', answer: { status: 200, body: GOOD.replace(/"expiresAt":(\d+)/, '"expiresAt":"$1.5"') }, expected: { token: { validMinutes: 720 } } },
    { name: 'an expiry of another type', answer: { status: 200, body: GOOD.replace(/"expiresAt":\d+/, '"expiresAt":true') }, expected: { error: { class: 'EcrApiError', httpStatusCode: 200 } } },
    { name: 'no expiry', answer: { status: 200, body: GOOD.replace(/"expiresAt":\d+/, '"expiresAt":null') }, expected: { error: { class: 'EcrApiError', httpStatusCode: undefined } } },
    { name: 'a token that is not a string', answer: { status: 200, body: GOOD.replace(/"authorizationToken":"[^"]*"/, '"authorizationToken":5') }, expected: { error: { class: 'TokenDecodeError', code: 'ECR_AUTH_INVALID_TOKEN' } } },
    { name: 'an empty body', answer: { status: 200, body: '' }, expected: { error: { class: 'EcrApiError', httpStatusCode: undefined } } },
    { name: 'JSON that is no object', answer: { status: 200, body: '[1]' }, expected: { error: { class: 'EcrApiError', httpStatusCode: undefined } } },
    { name: 'no authorization data in the list', answer: { status: 200, body: '{"authorizationData":[null]}' }, expected: { error: { class: 'EcrApiError' } } },
    { name: 'JSON that does not parse', answer: { status: 200, body: '{"authorizationData":' }, expected: { error: { class: 'EcrApiError', httpStatusCode: 200, retryable: false } } },
    { name: 'an error without a type: a 500', answer: { status: 500, body: '{"message":"boom"}' }, expected: { error: { class: 'EcrApiError', httpStatusCode: 500, retryable: true } } },
    { name: 'an HTML 502 from a load balancer', answer: { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>bad gateway</html>' }, expected: { error: { class: 'EcrApiError', httpStatusCode: 502, retryable: true } } },
    { name: 'a type without a message', answer: { status: 400, body: '{"__type":"InvalidParameterException"}' }, expected: { error: { class: 'EcrApiError', httpStatusCode: 400, retryable: false } } },
    { name: 'a proxy endpoint of another region', answer: { status: 200, body: GOOD.replace('us-east-1.amazonaws.com', 'eu-west-1.amazonaws.com') }, expected: { error: { class: 'EcrApiError', code: 'ECR_AUTH_SERVICE' } } },
    { name: 'access denied named in x-amzn-errortype only', answer: { status: 400, headers: { 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/' }, body: '{}' }, expected: { error: { class: 'AccessDeniedError', httpStatusCode: 400 } } },
    { name: 'a namespaced __type', answer: { status: 400, body: '{"__type":"com.amazonaws.ecr#ThrottlingException","message":"Rate exceeded"}' }, expected: { error: { class: 'ThrottlingError', retryable: true } } },
    { name: 'an expired session token', answer: { status: 400, body: '{"__type":"ExpiredTokenException","message":"The security token included in the request is expired"}' }, expected: { error: { class: 'CredentialsError', retryable: false } } },
    { name: 'a bare 503', answer: { status: 503 }, expected: { error: { class: 'EcrApiError', retryable: true, httpStatusCode: 503 } } },
    { name: 'a bare 403', answer: { status: 403 }, expected: { error: { class: 'AccessDeniedError', httpStatusCode: 403 } } },
    { name: 'HTML from a captive portal, 200', answer: { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>log in first</html>' }, expected: { error: { class: 'EcrApiError', retryable: false } } },
  ])('$name', async ({ answer, expected }) => {
    const server = await answering(answer);
    const result = await bothPaths((t) => outcome(t, server.url, KEYS));
    expect(result).toMatchObject(expected);
  });

  it('refuses an answer larger than 1 MiB without reading it all (ecr-auth’s own path)', async () => {
    const server = await answering({ status: 200, body: `{"authorizationData":[{"authorizationToken":"${'A'.repeat(2 * 1024 * 1024)}"}]}` });
    const result = await outcome(DIRECT, server.url, KEYS);
    expect(result).toMatchObject({ direct: true, error: { class: 'EcrApiError', retryable: false } });
    // Negative control: a good answer from the same kind of server is a token.
    expect(await outcome(DIRECT, (await answering({ status: 200, body: GOOD })).url, KEYS)).toMatchObject({ token: { username: 'AWS' } });
  });

  it('sends what ECR expects: the JSON 1.1 target and content type, a signature, its own user agent', async () => {
    const server = await answering({ status: 200, body: GOOD });
    await outcome(DIRECT, server.url, { ...KEYS });
    const [headers] = server.seen;
    expect(headers?.['x-amz-target']).toBe('AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken');
    expect(headers?.['content-type']).toBe('application/x-amz-json-1.1');
    expect(headers?.['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/ecr\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/);
    expect(headers?.['user-agent']).toBe(`ecr-auth node/${process.versions.node}`);
    expect(headers?.['x-amz-security-token']).toBeUndefined();
  });
});
