// `ecr-auth get-login-password` through a forward proxy (CONNECT) to an HTTPS emulator whose CA only
// AWS_CA_BUNDLE names, as a user behind a TLS-inspecting corporate proxy runs it. All traffic on 127.0.0.1.
import type { Emulator } from '@ecr-auth/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { startForwardProxy, type ForwardProxy } from '../../../test-support/forward-proxy.ts';
import { makeTestCertificates, type TestCertificates } from '../../../test-support/tls-certs.ts';
import { needTools } from '../../../test-support/tools.ts';
import { ECR_HOST, cleanupHomes, ecrAuth, isolatedEnv, killAll, makeHome, run, writeConfig } from './support.ts';

const PASSWORD = 'cli-network-password-5e21b7';
const calls = (emulator: Emulator) => emulator.stats().requests['ecr:GetAuthorizationToken'];

const tls = needTools('openssl');

describe.skipIf(tls.skip)(tls.title('ecr-auth get-login-password and the network environment'), () => {
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

/**
 * The AWS CLI v2 as the reference: with the same environment, both clients must ask the proxy for the same host
 * (FIPS, dual-stack, both), and both reach the HTTPS emulator through HTTPS_PROXY with AWS_CA_BUNDLE. The test
 * proxy records each CONNECT target and refuses any that is not 127.0.0.1, so nothing leaves the machine.
 */
const awsCli = needTools('aws');

describe.skipIf(awsCli.skip)(awsCli.title('the same hosts and paths as the AWS CLI'), () => {
  let proxy: ForwardProxy;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    proxy = await startForwardProxy();
    const home = await makeHome();
    env = isolatedEnv(home, undefined, {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
      AWS_REGION: 'us-east-1',
      AWS_PAGER: '',
      AWS_MAX_ATTEMPTS: '1',
      ECR_AUTH_NO_CACHE: '1',
      ECR_AUTH_TIMEOUT_MS: '5000',
      HTTPS_PROXY: proxy.url,
    });
    for (const name of ['https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy', 'AWS_CA_BUNDLE']) delete env[name];
  });
  afterEach(async () => {
    await killAll();
    await cleanupHomes();
    await proxy.stop();
  });

  /** The CONNECT target of one `get-login-password` run by `tool`. */
  async function connectHost(tool: 'aws' | 'ecr-auth', extra: Record<string, string>): Promise<string | undefined> {
    proxy.connects.splice(0);
    const result =
      tool === 'aws'
        ? await run('/usr/bin/aws', ['ecr', 'get-login-password'], { env: { ...env, ...extra }, timeoutMs: 60_000 })
        : await ecrAuth(['get-login-password'], { ...env, ...extra });
    expect(result.code, `${tool} must fail at the refusing proxy`).not.toBe(0);
    return proxy.connects[0];
  }

  // ecr-auth's hosts are the current SDK's endpoint rules (DESIGN.md). The AWS CLI on these machines (2.9, early
  // 2023) still has older endpoint data for FIPS and dual-stack, so for it only the variant is compared.
  it.each([
    [{}, 'api.ecr.us-east-1.amazonaws.com:443', /^api\.ecr\.us-east-1\.amazonaws\.com:443$/],
    [{ AWS_USE_FIPS_ENDPOINT: 'true' }, 'api.ecr-fips.us-east-1.amazonaws.com:443', /^(api\.)?ecr-fips\.us-east-1\.amazonaws\.com:443$/],
    [{ AWS_USE_DUALSTACK_ENDPOINT: 'true' }, 'ecr.us-east-1.api.aws:443', /^(api\.)?ecr\.us-east-1\.api\.aws:443$/],
    [{ AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true' }, 'ecr-fips.us-east-1.api.aws:443', /^(api\.)?ecr-fips\.us-east-1\.api\.aws:443$/],
  ])('%j: ecr-auth asks the proxy for %s; the AWS CLI for the same variant', async (extra, host, awsCliHost) => {
    expect(await connectHost('ecr-auth', extra)).toBe(host);
    expect(await connectHost('aws', extra)).toMatch(awsCliHost);
  });

  it.skipIf(tls.skip)(tls.title('both reach the HTTPS emulator through HTTPS_PROXY, trusting AWS_CA_BUNDLE'), async () => {
    const certs = await makeTestCertificates();
    const emulator = await startTestEmulator({ password: PASSWORD, tls: { cert: certs.cert, key: certs.key } });
    try {
      const [credential] = emulator.credentials;
      const withEmulator = {
        ...env,
        AWS_ACCESS_KEY_ID: credential?.accessKeyId ?? '',
        AWS_SECRET_ACCESS_KEY: credential?.secretAccessKey ?? '',
        AWS_ENDPOINT_URL_ECR: emulator.url,
        AWS_CA_BUNDLE: certs.caPath,
      };
      const reference = await run('/usr/bin/aws', ['ecr', 'get-login-password', '--endpoint-url', emulator.url], { env: withEmulator, timeoutMs: 60_000 });
      expect(reference.code, reference.stderr).toBe(0);
      expect(reference.stdout).toBe(`${PASSWORD}\n`);
      const ours = await ecrAuth(['get-login-password'], withEmulator);
      expect(ours.code, ours.stderr).toBe(0);
      expect(ours.stdout).toBe(`${PASSWORD}\n`);
      expect(new Set(proxy.connects)).toEqual(new Set([`127.0.0.1:${emulator.port}`]));
      expect(calls(emulator)).toBe(2);
    } finally {
      await emulator.stop();
      await certs.remove();
    }
  });
});

describe('roleArn: STS goes through the same proxy as ECR', () => {
  it('HTTP_PROXY carries the AssumeRole call and the ECR call; NO_PROXY for STS leaves ECR on the proxy (control)', async () => {
    const base = { accessKeyId: 'AKIABASEPROXYEXAMPLE', secretAccessKey: 'base-secret' };
    const roleArn = 'arn:aws:iam::123456789012:role/ecr-pull';
    const roleCalls: (string | undefined)[] = [];
    const emulator = await startTestEmulator({
      password: PASSWORD,
      credentials: [base],
      onRequest: (e) => e.operation === 'ecr:GetAuthorizationToken' && roleCalls.push(e.roleArn),
    });
    const proxy = await startForwardProxy();
    // The emulator serves STS too; STS is addressed as localhost, ECR as 127.0.0.1, so NO_PROXY can tell them apart.
    const stsHost = `localhost:${emulator.port}`;
    try {
      const home = await makeHome();
      await writeConfig(home, { registries: { [ECR_HOST]: { roleArn } } });
      const env: NodeJS.ProcessEnv = {
        ...isolatedEnv(home, emulator),
        AWS_ENDPOINT_URL_STS: `http://${stsHost}`,
        ECR_AUTH_NO_CACHE: '1',
        HTTP_PROXY: proxy.url,
      };
      for (const name of ['http_proxy', 'HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy']) delete env[name];
      const result = await ecrAuth(['get-login-password', ECR_HOST], env);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(`${PASSWORD}\n`);
      expect(proxy.counts()).toEqual({ [stsHost]: 1, [`127.0.0.1:${emulator.port}`]: 1 });

      const bypass = await ecrAuth(['get-login-password', ECR_HOST], { ...env, NO_PROXY: stsHost });
      expect(bypass.code, bypass.stderr).toBe(0);
      expect(proxy.counts()).toEqual({ [stsHost]: 1, [`127.0.0.1:${emulator.port}`]: 2 });
      expect(emulator.stats().requests['sts:AssumeRole']).toBe(2);
      expect(roleCalls).toEqual([roleArn, roleArn]);
    } finally {
      await Promise.all([emulator.stop(), proxy.stop()]);
    }
  });
});
