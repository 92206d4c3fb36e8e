// The standard network environment, through the real SDK and real traffic on 127.0.0.1 only: HTTP_PROXY to a
// plain-HTTP emulator, HTTPS_PROXY (CONNECT) to an HTTPS emulator whose CA comes from AWS_CA_BUNDLE, the
// config file's ca_bundle or the caBundle option, NO_PROXY, and the failures a user must be able to act on.
import type { Emulator } from '@ecr-auth/emulator';
import { EcrAuthError, EcrTokenProvider, InvalidOptionError, NetworkError, type EcrTokenProviderOptions } from 'ecr-auth';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { providerFor, startTestEmulator } from '../../../test-support/emulator.ts';
import { startForwardProxy, type ForwardProxy } from '../../../test-support/forward-proxy.ts';
import { recordError } from '../../../test-support/leaks.ts';
import { makeTestCertificates, type TestCertificates } from '../../../test-support/tls-certs.ts';
import { needTools } from '../../../test-support/tools.ts';

// Every test here uses the certificates of the shared set-up (beforeAll, beforeEach).
const tools = needTools('openssl');
const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const NETWORK_VARIABLES = [
  'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy',
  'AWS_CA_BUNDLE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_ECR', 'AWS_ENDPOINT_URL_ECR_PUBLIC', 'AWS_PROFILE',
  'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT',
];

let certs: TestCertificates;
let httpEmulator: Emulator;
let httpsEmulator: Emulator;
let proxy: ForwardProxy;
const providers: EcrTokenProvider[] = [];

function track(provider: EcrTokenProvider): EcrTokenProvider {
  providers.push(provider);
  return provider;
}

/** A provider for an emulator, with no retries (each failure shows at once). */
function provider(emulator: Emulator, options: EcrTokenProviderOptions = {}): EcrTokenProvider {
  return track(providerFor(emulator, { retry: { retries: 0 }, ...options }));
}

async function rejection(promise: Promise<unknown>): Promise<EcrAuthError> {
  try {
    await promise;
  } catch (error) {
    recordError(error);
    expect(error).toBeInstanceOf(EcrAuthError);
    return error as EcrAuthError;
  }
  throw new Error('expected a rejection');
}

const calls = (emulator: Emulator) => emulator.stats().requests['ecr:GetAuthorizationToken'];

beforeAll(async () => {
  certs = await makeTestCertificates();
  httpEmulator = await startTestEmulator();
  httpsEmulator = await startTestEmulator({ tls: { cert: certs.cert, key: certs.key } });
});

afterAll(async () => {
  await Promise.all([httpEmulator.stop(), httpsEmulator.stop()]);
  await certs.remove();
});

beforeEach(async () => {
  for (const name of NETWORK_VARIABLES) vi.stubEnv(name, undefined);
  // An empty config file: a developer's own ca_bundle or FIPS settings must not leak into these tests.
  const config = join(certs.dir, `empty-config-${Date.now()}-${Math.random()}`);
  await writeFile(config, '');
  vi.stubEnv('AWS_CONFIG_FILE', config);
  proxy = await startForwardProxy();
  httpEmulator.reset();
  httpsEmulator.reset();
});

afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
  await proxy.stop();
  vi.unstubAllEnvs();
});

describe.skipIf(tools.skip)(tools.title('HTTP_PROXY and HTTPS_PROXY'), () => {
  it('sends a plain-HTTP call through HTTP_PROXY (forwarded, counted by the proxy)', async () => {
    vi.stubEnv('HTTP_PROXY', proxy.url);
    const token = await provider(httpEmulator).getToken(REGISTRY);
    expect(token.registry).toBe(REGISTRY);
    expect(proxy.counts()).toEqual({ [`127.0.0.1:${httpEmulator.port}`]: 1 });
    expect(proxy.connects).toEqual([]);
    expect(calls(httpEmulator)).toBe(1);
  });

  it('accepts the lower-case spelling, and HTTPS_PROXY does not apply to plain HTTP', async () => {
    vi.stubEnv('http_proxy', proxy.url);
    await provider(httpEmulator).getToken(REGISTRY);
    expect(proxy.total()).toBe(1);

    const other = await startForwardProxy();
    try {
      vi.stubEnv('http_proxy', undefined);
      vi.stubEnv('HTTPS_PROXY', other.url);
      await provider(httpEmulator).getToken(REGISTRY);
      expect(other.total()).toBe(0);
    } finally {
      await other.stop();
    }
  });

  it('tunnels HTTPS through HTTPS_PROXY with CONNECT, trusting the CA in AWS_CA_BUNDLE', async () => {
    vi.stubEnv('HTTPS_PROXY', proxy.url);
    vi.stubEnv('AWS_CA_BUNDLE', certs.caPath);
    const p = provider(httpsEmulator);
    await p.getToken(REGISTRY);
    await p.getToken(REGISTRY, { forceRefresh: true });
    expect(proxy.connects.length).toBeGreaterThan(0);
    expect(new Set(proxy.connects)).toEqual(new Set([`127.0.0.1:${httpsEmulator.port}`]));
    expect(calls(httpsEmulator)).toBe(2);
  });

  it('sends the proxy its credentials from the URL, and prints them nowhere', async () => {
    const proxyUrl = `http://proxy-user:proxy-secret-42@127.0.0.1:${proxy.port}`;
    vi.stubEnv('HTTPS_PROXY', proxyUrl);
    vi.stubEnv('AWS_CA_BUNDLE', certs.caPath);
    await provider(httpsEmulator).getToken(REGISTRY);
    const basic = `Basic ${Buffer.from('proxy-user:proxy-secret-42').toString('base64')}`;
    expect(proxy.authorizations).toEqual([basic]);
    // Plain HTTP through the proxy carries them too; percent-encoded characters are decoded first.
    vi.stubEnv('HTTP_PROXY', `http://proxy-user:p%40ss@127.0.0.1:${proxy.port}`);
    await provider(httpEmulator).getToken(REGISTRY);
    expect(proxy.authorizations[1]).toBe(`Basic ${Buffer.from('proxy-user:p@ss').toString('base64')}`);
  });

  it('an https:// proxy: TLS to the proxy and, inside the tunnel, to the emulator, both trusting AWS_CA_BUNDLE', async () => {
    const tlsProxy = await startForwardProxy({ tls: { cert: certs.cert, key: certs.key } });
    try {
      vi.stubEnv('HTTPS_PROXY', tlsProxy.url);
      vi.stubEnv('AWS_CA_BUNDLE', certs.caPath);
      await provider(httpsEmulator).getToken(REGISTRY);
      expect(tlsProxy.connects).toEqual([`127.0.0.1:${httpsEmulator.port}`]);
      // Plain HTTP through an https:// proxy: forwarded over TLS.
      vi.stubEnv('HTTP_PROXY', tlsProxy.url);
      await provider(httpEmulator).getToken(REGISTRY);
      expect(tlsProxy.counts()[`127.0.0.1:${httpEmulator.port}`]).toBe(1);
      // Without the CA the proxy itself is not trusted (control).
      vi.stubEnv('AWS_CA_BUNDLE', undefined);
      const error = await rejection(provider(httpEmulator).getToken(REGISTRY));
      expect(error).toBeInstanceOf(NetworkError);
      expect(error.message).toContain(`the TLS certificate of the proxy ${tlsProxy.url} is not trusted`);
    } finally {
      await tlsProxy.stop();
    }
  });

  it('takes the proxy option over the environment, and proxy: false ignores the environment', async () => {
    const unused = await startForwardProxy();
    try {
      vi.stubEnv('HTTP_PROXY', unused.url);
      await provider(httpEmulator, { proxy: proxy.url }).getToken(REGISTRY);
      expect(proxy.total()).toBe(1);
      await provider(httpEmulator, { proxy: false }).getToken(REGISTRY);
      expect(unused.total()).toBe(0);
      expect(proxy.total()).toBe(1);
      expect(calls(httpEmulator)).toBe(2);
    } finally {
      await unused.stop();
    }
  });
});

describe.skipIf(tools.skip)(tools.title('NO_PROXY'), () => {
  it.each([
    ['127.0.0.1'],
    ['*'],
    ['example.com, 127.0.0.1'],
    ['127.0.0.0/8'],
  ])('NO_PROXY=%s: straight to the emulator, the proxy sees nothing', async (noProxy) => {
    vi.stubEnv('HTTP_PROXY', proxy.url);
    vi.stubEnv('NO_PROXY', noProxy);
    await provider(httpEmulator).getToken(REGISTRY);
    expect(proxy.total()).toBe(0);
    expect(calls(httpEmulator)).toBe(1);
  });

  it('an entry with another port does not bypass (control), one with the right port does', async () => {
    vi.stubEnv('HTTP_PROXY', proxy.url);
    vi.stubEnv('no_proxy', '127.0.0.1:1');
    await provider(httpEmulator).getToken(REGISTRY);
    expect(proxy.total()).toBe(1);
    vi.stubEnv('no_proxy', `127.0.0.1:${httpEmulator.port}`);
    await provider(httpEmulator).getToken(REGISTRY);
    expect(proxy.total()).toBe(1);
  });
});

describe.skipIf(tools.skip)(tools.title('custom CAs'), () => {
  it('without the CA: a typed, non-retried network error naming the certificate problem and what to do', async () => {
    vi.stubEnv('HTTPS_PROXY', proxy.url);
    const error = await rejection(provider(httpsEmulator, { retry: { retries: 3 } }).getToken(REGISTRY));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.code).toBe('ECR_AUTH_NETWORK');
    expect(error.message).toMatch(/TLS certificate of 127\.0\.0\.1:\d+ is not trusted/);
    expect(error.message).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
    expect(error.message).toContain('AWS_CA_BUNDLE');
    expect((error as NetworkError).retryable).toBe(false);
    expect((error as NetworkError).attempts).toBe(1);
    expect(calls(httpsEmulator)).toBe(0);
  });

  it('the same without a proxy (direct HTTPS)', async () => {
    const error = await rejection(provider(httpsEmulator).getToken(REGISTRY));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toContain('is not trusted');
  });

  it('the caBundle option (PEM text) trusts the CA, without any environment', async () => {
    const token = await provider(httpsEmulator, { caBundle: certs.caPem }).getToken(REGISTRY);
    expect(token.registry).toBe(REGISTRY);
    await provider(httpsEmulator, { caBundle: Buffer.from(certs.caPem) }).getToken(REGISTRY, { forceRefresh: true });
    expect(calls(httpsEmulator)).toBe(2);
  });

  it('reads ca_bundle of the profile in use from the shared config file (AWS_PROFILE, then the profile option)', async () => {
    const config = join(certs.dir, 'config-with-ca');
    await writeFile(config, `[default]\nregion = us-east-1\n\n[profile corp]\nca_bundle = ${certs.caPath}\n`);
    vi.stubEnv('AWS_CONFIG_FILE', config);
    // The default profile has none: the certificate is not trusted (control).
    expect(await rejection(provider(httpsEmulator).getToken(REGISTRY))).toBeInstanceOf(NetworkError);
    vi.stubEnv('AWS_PROFILE', 'corp');
    await provider(httpsEmulator).getToken(REGISTRY);
    vi.stubEnv('AWS_PROFILE', undefined);
    await provider(httpsEmulator, { profile: 'corp' }).getToken(REGISTRY);
    expect(calls(httpsEmulator)).toBe(2);
  });

  it('AWS_CA_BUNDLE wins over the config file, and the caBundle option over both', async () => {
    const config = join(certs.dir, 'config-bad-ca');
    await writeFile(config, `[default]\nca_bundle = ${join(certs.dir, 'missing.pem')}\n`);
    vi.stubEnv('AWS_CONFIG_FILE', config);
    vi.stubEnv('AWS_CA_BUNDLE', certs.caPath);
    await provider(httpsEmulator).getToken(REGISTRY);
    vi.stubEnv('AWS_CA_BUNDLE', join(certs.dir, 'also-missing.pem'));
    await provider(httpsEmulator, { caBundle: certs.caPem }).getToken(REGISTRY);
    expect(calls(httpsEmulator)).toBe(2);
  });

  it('a CA bundle that cannot be read, or holds no certificate, is an option error naming its source', async () => {
    vi.stubEnv('AWS_CA_BUNDLE', join(certs.dir, 'missing.pem'));
    const missing = await rejection(provider(httpsEmulator).getToken(REGISTRY));
    expect(missing).toBeInstanceOf(InvalidOptionError);
    expect(missing.message).toMatch(/AWS_CA_BUNDLE \(.*missing\.pem\) cannot be read \(ENOENT\)/);
    vi.stubEnv('AWS_CA_BUNDLE', undefined);
    const empty = await rejection(provider(httpsEmulator, { caBundle: 'not a certificate' }).getToken(REGISTRY));
    expect(empty).toBeInstanceOf(InvalidOptionError);
    expect(empty.message).toContain('the caBundle option holds no PEM certificate');
    expect(calls(httpsEmulator)).toBe(0);
  });
});

describe.skipIf(tools.skip)(tools.title('proxy failures'), () => {
  it('a proxy that is not there: a network error naming the proxy, never its password', async () => {
    vi.stubEnv('HTTPS_PROXY', 'http://user:pass-never-shown@127.0.0.1:1');
    vi.stubEnv('AWS_CA_BUNDLE', certs.caPath);
    const error = await rejection(provider(httpsEmulator).getToken(REGISTRY));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toContain('through the proxy http://127.0.0.1:1 (from HTTPS_PROXY): ECONNREFUSED');
    expect(error.message).toContain('NO_PROXY');
    for (const text of [error.message, error.stack ?? '', JSON.stringify(error), String(error.cause)]) {
      expect(text).not.toContain('pass-never-shown');
      expect(text).not.toContain('user:');
    }
    expect((error as NetworkError).retryable).toBe(true);
  });

  it('an unsupported or malformed proxy setting is an option error that shows no credentials', async () => {
    vi.stubEnv('HTTPS_PROXY', 'socks5://user:pass-never-shown@127.0.0.1:1080');
    const socks = await rejection(provider(httpsEmulator).getToken(REGISTRY));
    expect(socks).toBeInstanceOf(InvalidOptionError);
    expect(socks.message).toContain('HTTPS_PROXY names a socks5 proxy (socks5://127.0.0.1:1080)');
    expect(socks.message).not.toContain('pass-never-shown');
    const bad = await rejection(provider(httpsEmulator, { proxy: 'http://user:pass-never-shown@[::1' }).getToken(REGISTRY));
    expect(bad).toBeInstanceOf(InvalidOptionError);
    expect(bad.message).not.toContain('pass-never-shown');
  });

  it('a proxy that refuses the tunnel: a typed error with its status, the request never sent', async () => {
    vi.stubEnv('HTTPS_PROXY', proxy.url);
    // No endpoint override: the real ECR host, which the test proxy records and refuses.
    const p = track(
      new EcrTokenProvider({ credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' }, retry: { retries: 0 } }),
    );
    const error = await rejection(p.getToken(REGISTRY));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toContain(`the proxy ${proxy.url} (from HTTPS_PROXY) refused to open a tunnel to api.ecr.us-east-1.amazonaws.com:443 (HTTP 403`);
    expect(proxy.connects).toEqual(['api.ecr.us-east-1.amazonaws.com:443']);
  });
});

describe.skipIf(tools.skip)(tools.title('a caller-supplied requestHandler'), () => {
  it('is used as is: HTTPS_PROXY and AWS_CA_BUNDLE step aside', async () => {
    vi.stubEnv('HTTP_PROXY', proxy.url);
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: false });
    try {
      await provider(httpEmulator, { requestHandler: { httpAgent: agent } }).getToken(REGISTRY);
      expect(proxy.total()).toBe(0);
      expect(calls(httpEmulator)).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});
