// The proxy's credentials from its URL: a user alone or a password alone is still sent (as curl does), and a
// proxy URL without either sends no Proxy-Authorization at all. Real SDK, real HTTP through a forwarding proxy.
import type { Emulator } from '@ecr-auth/emulator';
import type { EcrTokenProvider } from 'ecr-auth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { providerFor, startTestEmulator } from '../../../test-support/emulator.ts';
import { startForwardProxy, type ForwardProxy } from '../../../test-support/forward-proxy.ts';

let emulator: Emulator;
let proxy: ForwardProxy;
const providers: EcrTokenProvider[] = [];
beforeEach(async () => {
  emulator = await startTestEmulator();
  proxy = await startForwardProxy();
});
afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.close()));
  await Promise.all([emulator.stop(), proxy.stop()]);
});

async function fetchThrough(proxyUrl: string): Promise<void> {
  const provider = providerFor(emulator, { proxy: proxyUrl, retry: { retries: 0 } });
  providers.push(provider);
  await provider.getToken();
}
const basic = (credentials: string): string => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('proxy credentials', () => {
  it('sends a user without a password, and a password without a user', async () => {
    await fetchThrough(`http://only-user@127.0.0.1:${proxy.port}`);
    await fetchThrough(`http://:only-secret@127.0.0.1:${proxy.port}`);
    expect(proxy.authorizations).toEqual([basic('only-user:'), basic(':only-secret')]);
  });

  it('sends no Proxy-Authorization for a proxy URL without credentials', async () => {
    await fetchThrough(`http://127.0.0.1:${proxy.port}`);
    expect(proxy.total()).toBe(1);
    expect(proxy.authorizations).toEqual([]);
  });
});
