// createApiClient picks the transport of a provider's fetches: ecr-auth's own signed request where direct-route.ts
// allows it (its cases are in direct-route.test.ts), an SDK client otherwise.
import { describe, expect, it } from 'vitest';
import { createApiClient } from './api-client.js';
import { DirectEcrClient } from './direct-client.js';
import type { ClientTarget } from './client-types.js';

const PRIVATE: ClientTarget = { kind: 'private', region: 'eu-west-1', fips: false, dualStack: false };
const PUBLIC: ClientTarget = { kind: 'public', region: 'us-east-1', fips: false, dualStack: false };

describe('createApiClient', () => {
  it('hands the caller’s request handler to an SDK client without reading any proxy setting', async () => {
    const handler = { handle: () => Promise.reject(new Error('not called')), metadata: { handlerProtocol: 'h1' } };
    // Negative control: without a handler of the caller's, an unusable proxy setting is refused at once.
    await expect(createApiClient(PRIVATE, { proxy: 'socks5://proxy.example:1080', credentials: { accessKeyId: 'AKID', secretAccessKey: 's' } })).rejects.toThrow(/socks5 proxy/);
    const client = await createApiClient(PRIVATE, { requestHandler: handler, proxy: 'socks5://proxy.example:1080', credentials: { accessKeyId: 'AKID', secretAccessKey: 's' } });
    try {
      expect(client).not.toBeInstanceOf(DirectEcrClient);
    } finally {
      client.destroy();
    }
  });

  it('ecr-auth’s own for static credentials with no proxy; an SDK client for anything else', async () => {
    const direct = await createApiClient(PRIVATE, { endpoint: 'http://127.0.0.1:4566', credentials: { accessKeyId: 'AKID', secretAccessKey: 's' } });
    try {
      expect(direct).toBeInstanceOf(DirectEcrClient);
      expect(direct.config.systemClockOffset).toBe(0);
    } finally {
      direct.destroy();
    }
    // Negative controls: the same with a proxy, or for ECR Public, goes through the SDK.
    for (const [target, settings] of [
      [PRIVATE, { proxy: 'http://127.0.0.1:3128' }],
      [PUBLIC, {}],
      [PRIVATE, { requestHandler: { handle: () => Promise.reject(new Error('not called')), metadata: { handlerProtocol: 'h1' } } }],
    ] as const) {
      const client = await createApiClient(target, { endpoint: 'http://127.0.0.1:4566', publicEndpoint: 'http://127.0.0.1:4567', credentials: { accessKeyId: 'AKID', secretAccessKey: 's' }, ...settings });
      try {
        expect(client).not.toBeInstanceOf(DirectEcrClient);
      } finally {
        client.destroy();
      }
    }
  });

});
