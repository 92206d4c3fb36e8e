// `ecr-auth get-login-password` through a forward proxy (CONNECT) to an HTTPS emulator whose CA only
// AWS_CA_BUNDLE names, as a user behind a TLS-inspecting corporate proxy runs it. All traffic on 127.0.0.1.
import type { Emulator } from '@ecr-auth/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { startForwardProxy, type ForwardProxy } from '../../../test-support/forward-proxy.ts';
import { makeTestCertificates, type TestCertificates } from '../../../test-support/tls-certs.ts';
import { cleanupHomes, ecrAuth, isolatedEnv, killAll, makeHome } from './support.ts';

const PASSWORD = 'cli-network-password-5e21b7';
const calls = (emulator: Emulator) => emulator.stats().requests['ecr:GetAuthorizationToken'];

describe('ecr-auth get-login-password and the network environment', () => {
  let certs: TestCertificates;
  let emulator: Emulator;
  let proxy: ForwardProxy;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    certs = await makeTestCertificates();
    emulator = await startTestEmulator({ password: PASSWORD, tls: { cert: certs.cert, key: certs.key } });
  });
  afterAll(async () => {
    await emulator.stop();
    await certs.remove();
  });
  beforeEach(async () => {
    emulator.reset();
    proxy = await startForwardProxy();
    const home = await makeHome();
    env = isolatedEnv(home, emulator, { ECR_AUTH_NO_CACHE: '1' });
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy']) delete env[name];
  });
  afterEach(async () => {
    await killAll();
    await cleanupHomes();
    await proxy.stop();
  });

  it('goes through HTTPS_PROXY (CONNECT) and trusts the CA in AWS_CA_BUNDLE', async () => {
    const result = await ecrAuth(['get-login-password'], { ...env, HTTPS_PROXY: proxy.url, AWS_CA_BUNDLE: certs.caPath });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${PASSWORD}\n`);
    expect(result.stderr).toBe('');
    expect(proxy.connects).toEqual([`127.0.0.1:${emulator.port}`]);
    expect(calls(emulator)).toBe(1);
  });

  it('NO_PROXY=127.0.0.1 goes straight to the emulator (the proxy sees nothing)', async () => {
    const result = await ecrAuth(['get-login-password'], { ...env, HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1', AWS_CA_BUNDLE: certs.caPath });
    expect(result.code, result.stderr).toBe(0);
    expect(proxy.total()).toBe(0);
    expect(calls(emulator)).toBe(1);
  });

  it('without the CA: fails, names the certificate problem and AWS_CA_BUNDLE, prints no password', async () => {
    const result = await ecrAuth(['get-login-password'], { ...env, HTTPS_PROXY: proxy.url });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/TLS certificate of 127\.0\.0\.1:\d+ is not trusted/);
    expect(result.stderr).toContain('AWS_CA_BUNDLE');
    expect(calls(emulator)).toBe(0);
  });

  it('a proxy that is not there: names the proxy, never its password', async () => {
    const result = await ecrAuth(['get-login-password'], {
      ...env,
      HTTPS_PROXY: 'http://user:pass-not-printed@127.0.0.1:1',
      AWS_CA_BUNDLE: certs.caPath,
      ECR_AUTH_TIMEOUT_MS: '3000',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('through the proxy http://127.0.0.1:1 (from HTTPS_PROXY)');
    expect(result.stderr).not.toContain('pass-not-printed');
    expect(result.stderr).not.toContain('user:');
  });
});
