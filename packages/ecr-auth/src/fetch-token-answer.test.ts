// Which proxy endpoint in ECR's answer is accepted as the registry host (a private ECR host of the region asked,
// nothing around it: no user information, query, fragment or other scheme), and that the caller's signal cancels
// the HTTP request itself. Real SDK clients over real HTTP to a server answering as ECR would.
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EcrApiError } from './errors.js';
import { fetchAuthorizationToken } from './fetch-token.js';

const TOKEN = Buffer.from('AWS:fetch-token-answer-password').toString('base64');
const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
let proxyEndpoint: unknown;
let hang = false;
const waiting: ServerResponse[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      if (hang) {
        waiting.push(response);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      const data = { authorizationToken: TOKEN, expiresAt: (Date.now() + 3_600_000) / 1000, proxyEndpoint };
      response.end(JSON.stringify(request.url?.includes('public') || request.headers['x-amz-target']?.includes('SpencerFrontendService') ? { authorizationData: data } : { authorizationData: [data] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const response of waiting) response.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
async function registryFor(endpoint: unknown): Promise<string | undefined> {
  proxyEndpoint = endpoint;
  const client = new ECRClient({ region: 'us-east-1', endpoint: url, credentials, maxAttempts: 1 });
  try {
    return (await fetchAuthorizationToken(client, { kind: 'private', region: 'us-east-1' }, new AbortController().signal)).registry;
  } finally {
    client.destroy();
  }
}
const refusal = (shown: string) =>
  new EcrApiError(
    'ECR_AUTH_SERVICE',
    `GetAuthorizationToken answered with proxy endpoint host "${shown}", which is not an ECR registry in us-east-1; ` +
      'the endpoint is not AWS ECR (check AWS_ENDPOINT_URL_ECR and the endpoint option), so no token is addressed to it',
  );

describe('the registry host of ECR’s answer', () => {
  it('is accepted as a bare private ECR host of the region, over https or http, default port or none', async () => {
    expect(await registryFor(`https://${HOST}`)).toBe(HOST);
    expect(await registryFor(`http://${HOST}`)).toBe(HOST);
    expect(await registryFor(`https://${HOST}:443`)).toBe(HOST);
    expect(await registryFor(`HTTPS://${HOST.toUpperCase()}`)).toBe(HOST);
  });

  it('is refused with anything around it: user, password, query, fragment, another scheme', async () => {
    for (const [endpoint, shown] of [
      [`https://user@${HOST}`, HOST],
      [`https://:pw@${HOST}`, HOST],
      [`https://${HOST}?x=1`, HOST],
      [`https://${HOST}#x`, HOST],
      [`ftp://${HOST}`, HOST],
      [`git+https://${HOST}`, HOST],
      [`httpsx://${HOST}`, HOST],
    ] as const) {
      const error = await registryFor(endpoint).catch((e: unknown) => e);
      expect(error, endpoint).toEqual(refusal(shown));
      expect((error as EcrApiError).code).toBe('ECR_AUTH_SERVICE');
      expect((error as EcrApiError).retryable).toBe(false);
    }
  });

  it('is refused when it is not a private ECR host of the region asked, or not a URL', async () => {
    for (const [endpoint, shown] of [
      ['https://123456789012.dkr.ecr.eu-west-1.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'],
      ['https://public.ecr.aws', 'public.ecr.aws'],
      [`https://${HOST}:8443`, `${HOST}:8443`],
      ['not a url', '(not a URL)'],
    ] as const) {
      expect(await registryFor(endpoint).catch((e: unknown) => e), endpoint).toEqual(refusal(shown));
    }
  });
});

describe('a malformed answer', () => {
  it('is a service error, never retried', async () => {
    proxyEndpoint = `https://${HOST}`;
    const client = { send: () => Promise.resolve({ authorizationData: [{ expiresAt: new Date() }] }), config: {} } as unknown as ECRClient;
    const error = await fetchAuthorizationToken(client, { kind: 'private', region: 'us-east-1' }, new AbortController().signal).catch((e: unknown) => e);
    expect(error).toEqual(new EcrApiError('ECR_AUTH_SERVICE', 'GetAuthorizationToken answered without a token or expiry'));
    expect((error as EcrApiError).code).toBe('ECR_AUTH_SERVICE');
  });
});

describe('an ECR Public answer', () => {
  it('is never addressed by a proxy endpoint, even one that comes with it', async () => {
    const answer = { authorizationData: { authorizationToken: TOKEN, expiresAt: new Date(Date.now() + 3_600_000), proxyEndpoint: 'https://registry.example.com' } };
    const client = { send: () => Promise.resolve(answer), config: {} } as unknown as ECRPUBLICClient;
    const fetched = await fetchAuthorizationToken(client, { kind: 'public', region: 'us-east-1' }, new AbortController().signal);
    expect(fetched.proxyEndpoint).toBeUndefined();
    expect(fetched.registry).toBeUndefined();
    expect(fetched.password).toBe('fetch-token-answer-password');
    // Negative control: the same answer for private ECR is checked, and refused.
    const privateClient = { send: () => Promise.resolve({ authorizationData: [answer.authorizationData] }), config: {} } as unknown as ECRClient;
    await expect(fetchAuthorizationToken(privateClient, { kind: 'private', region: 'us-east-1' }, new AbortController().signal)).rejects.toThrow(/registry\.example\.com/);
  });
});

describe('the caller’s signal', () => {
  it('cancels a request that gets no answer, for private ECR and ECR Public', async () => {
    hang = true;
    try {
      for (const client of [
        new ECRClient({ region: 'us-east-1', endpoint: url, credentials, maxAttempts: 1 }),
        new ECRPUBLICClient({ region: 'us-east-1', endpoint: url, credentials, maxAttempts: 1 }),
      ]) {
        const kind = client instanceof ECRPUBLICClient ? 'public' : 'private';
        const controller = new AbortController();
        const pending = fetchAuthorizationToken(client, { kind, region: 'us-east-1' }, controller.signal);
        setTimeout(() => controller.abort(new Error('caller gave up')), 20);
        const started = Date.now();
        // A finite wait: without the signal passed on, the request would wait for the server forever.
        const outcome = await Promise.race([pending.then(() => 'answered', (error: unknown) => error), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 3_000))]);
        expect(outcome, kind).toBeInstanceOf(Error);
        expect(Date.now() - started).toBeLessThan(3_000);
        client.destroy();
      }
    } finally {
      hang = false;
    }
  });
});
