// fetchAuthorizationToken against a real HTTP server answering as ECR would (real SDK client, real HTTP):
// a malformed answer (no token, no expiry, an invalid date) is refused, and the SDK's clock offset is used
// only when it is more than the Date header's one-second resolution.
import { ECRClient } from '@aws-sdk/client-ecr';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EcrApiError } from './errors.js';
import { fetchAuthorizationToken } from './fetch-token.js';

const TOKEN = Buffer.from('AWS:fetch-token-test-password').toString('base64');
let answer: unknown;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', date: new Date().toUTCString() });
      response.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const expiresIn = (ms: number): number => (Date.now() + ms) / 1000;
const valid = (fields: Record<string, unknown> = {}) => ({
  authorizationData: [{ authorizationToken: TOKEN, expiresAt: expiresIn(3_600_000), proxyEndpoint: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com', ...fields }],
});

async function fetchWith(body: unknown) {
  answer = body;
  const client = new ECRClient({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
  try {
    return await fetchAuthorizationToken(client, { kind: 'private', region: 'us-east-1' }, new AbortController().signal);
  } finally {
    client.destroy();
  }
}

describe('fetchAuthorizationToken', () => {
  it('decodes a well-formed answer (the control for the malformed ones)', async () => {
    const fetched = await fetchWith(valid());
    expect(fetched.username).toBe('AWS');
    expect(fetched.password).toBe('fetch-token-test-password');
    expect(fetched.registry).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com');
    expect(fetched.clockOffsetMs).toBe(0);
  });

  it.each([
    ['no authorizationData', {}],
    ['an empty authorizationData', { authorizationData: [] }],
    ['no token', valid({ authorizationToken: undefined })],
    ['an empty token', valid({ authorizationToken: '' })],
    ['no expiry', valid({ expiresAt: undefined })],
  ])('refuses an answer with %s, without retrying', async (_, body) => {
    const error = await fetchWith(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EcrApiError);
    expect((error as EcrApiError).message).toContain('without a token or expiry');
    expect((error as EcrApiError).retryable).toBe(false);
  });

  it('uses the SDK’s clock offset only beyond one second, in either direction', async () => {
    // The SDK re-measures its offset from each answer's Date header (one-second resolution), so exact
    // offsets at the threshold need a client whose measured offset is fixed: the answer as the SDK parses it.
    const parsed = { authorizationData: [{ authorizationToken: TOKEN, expiresAt: new Date(Date.now() + 3_600_000), proxyEndpoint: undefined }] };
    const withOffset = async (systemClockOffset: number) => {
      const client = { send: () => Promise.resolve(parsed), config: { systemClockOffset } } as unknown as ECRClient;
      return fetchAuthorizationToken(client, { kind: 'private', region: 'us-east-1' }, new AbortController().signal);
    };
    expect((await withOffset(1_000)).clockOffsetMs).toBe(0);
    expect((await withOffset(-1_000)).clockOffsetMs).toBe(0);
    expect((await withOffset(1_001)).clockOffsetMs).toBe(1_001);
    expect((await withOffset(-1_001)).clockOffsetMs).toBe(-1_001);
    const ahead = await withOffset(120_000);
    // fetchedAt is on the server's clock.
    expect(ahead.fetchedAt.getTime() - Date.now()).toBeGreaterThan(100_000);
  });
});
