// FIPS and dual-stack endpoints: the host a token request goes to must be the one the SDK's own endpoint rules
// give for the user's settings (AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT, use_fips_endpoint and
// use_dualstack_endpoint in the config file, the options, a FIPS or dual-stack registry host). Seen through a
// forward proxy on 127.0.0.1 that records each CONNECT target and refuses it: nothing leaves the machine.
import { ECRClient } from '@aws-sdk/client-ecr';
import type { Emulator } from '@ecr-auth/emulator';
import { EcrTokenProvider, NetworkError, type EcrAuthError, type EcrTokenProviderOptions } from 'ecr-auth';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { providerFor, startTestEmulator } from '../../../test-support/emulator.ts';
import { startForwardProxy, type ForwardProxy } from '../../../test-support/forward-proxy.ts';
import { recordError } from '../../../test-support/leaks.ts';

const ACCOUNT = '123456789012';
const PLAIN = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
const FIPS_HOST = `${ACCOUNT}.dkr.ecr-fips.us-east-1.amazonaws.com`;
const DUALSTACK_HOST = `${ACCOUNT}.dkr-ecr.us-east-1.on.aws`;
const DUALSTACK_FIPS_HOST = `${ACCOUNT}.dkr-ecr-fips.us-east-1.on.aws`;

/** What DESIGN.md and the SDK's rules give for us-east-1. */
const API = {
  plain: 'api.ecr.us-east-1.amazonaws.com',
  fips: 'api.ecr-fips.us-east-1.amazonaws.com',
  dualStack: 'ecr.us-east-1.api.aws',
  both: 'ecr-fips.us-east-1.api.aws',
};

const VARIABLES = [
  'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy',
  'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_ECR', 'AWS_ENDPOINT_URL_ECR_PUBLIC', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION',
  'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT',
];

let dir: string;
let proxy: ForwardProxy;
const providers: EcrTokenProvider[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecr-auth-variants-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Writes a config file under a new name (the SDK caches each file it has read, by path) and points at it. */
let configs = 0;
async function useConfig(text: string): Promise<void> {
  const path = join(dir, `config-${(configs += 1)}`);
  await writeFile(path, text);
  vi.stubEnv('AWS_CONFIG_FILE', path);
}

beforeEach(async () => {
  for (const name of VARIABLES) vi.stubEnv(name, undefined);
  await useConfig('');
  proxy = await startForwardProxy();
  vi.stubEnv('HTTPS_PROXY', proxy.url);
});

afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
  await proxy.stop();
  vi.unstubAllEnvs();
});

/** The host a token request for `registry` goes to (recorded by the proxy, which refuses it). */
async function hostFor(registry: string, options: EcrTokenProviderOptions = {}): Promise<string> {
  const provider = new EcrTokenProvider({
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-secret' },
    retry: { retries: 0 },
    ...options,
  });
  providers.push(provider);
  try {
    await provider.getToken(registry);
  } catch (error) {
    recordError(error);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as EcrAuthError).message).toContain('refused to open a tunnel');
    const connects = proxy.connects.splice(0);
    expect(connects).toHaveLength(1);
    return (connects[0] ?? '').replace(/:443$/, '');
  }
  throw new Error('expected the test proxy to refuse the tunnel');
}

/** The host the SDK's own endpoint rules give (no request made). */
async function sdkRuleHost(useFipsEndpoint: boolean, useDualstackEndpoint: boolean): Promise<string> {
  const client = new ECRClient({ region: 'us-east-1', useFipsEndpoint, useDualstackEndpoint });
  try {
    const endpoint = client.config.endpointProvider({ Region: 'us-east-1', UseFIPS: useFipsEndpoint, UseDualStack: useDualstackEndpoint });
    return endpoint.url.hostname;
  } finally {
    client.destroy();
  }
}

describe('the SDK endpoint rules agree with DESIGN.md', () => {
  it.each([
    [false, false, API.plain],
    [true, false, API.fips],
    [false, true, API.dualStack],
    [true, true, API.both],
  ])('useFipsEndpoint=%s useDualstackEndpoint=%s -> %s', async (fips, dualStack, host) => {
    expect(await sdkRuleHost(fips, dualStack)).toBe(host);
  });
});

describe('the host a token request goes to', () => {
  it('with nothing set: the standard endpoint', async () => {
    expect(await hostFor(PLAIN)).toBe(API.plain);
  });

  it('AWS_USE_FIPS_ENDPOINT=true: the FIPS endpoint (it used to be overridden to false)', async () => {
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', 'true');
    expect(await hostFor(PLAIN)).toBe(API.fips);
  });

  it('AWS_USE_DUALSTACK_ENDPOINT=true: the dual-stack endpoint', async () => {
    vi.stubEnv('AWS_USE_DUALSTACK_ENDPOINT', 'true');
    expect(await hostFor(PLAIN)).toBe(API.dualStack);
  });

  it('both: the FIPS dual-stack endpoint', async () => {
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', 'true');
    vi.stubEnv('AWS_USE_DUALSTACK_ENDPOINT', 'true');
    expect(await hostFor(PLAIN)).toBe(API.both);
  });

  it('use_fips_endpoint / use_dualstack_endpoint of the profile in use, from the shared config file', async () => {
    await useConfig('[default]\nuse_fips_endpoint = true\n\n[profile v6]\nuse_dualstack_endpoint = true\n\n[profile both]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n');
    expect(await hostFor(PLAIN)).toBe(API.fips);
    expect(await hostFor(PLAIN, { profile: 'v6' })).toBe(API.dualStack);
    vi.stubEnv('AWS_PROFILE', 'both');
    expect(await hostFor(PLAIN)).toBe(API.both);
  });

  it('the options, which win over the environment', async () => {
    expect(await hostFor(PLAIN, { useFipsEndpoint: true })).toBe(API.fips);
    expect(await hostFor(PLAIN, { useDualstackEndpoint: true })).toBe(API.dualStack);
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', 'true');
    expect(await hostFor(PLAIN, { useFipsEndpoint: false })).toBe(API.plain);
  });

  it('a FIPS or dual-stack registry host asks for its variant by itself', async () => {
    expect(await hostFor(FIPS_HOST)).toBe(API.fips);
    expect(await hostFor(DUALSTACK_HOST)).toBe(API.dualStack);
    expect(await hostFor(DUALSTACK_FIPS_HOST)).toBe(API.both);
    // With the environment asking for dual-stack, a FIPS host gets both.
    vi.stubEnv('AWS_USE_DUALSTACK_ENDPOINT', 'true');
    expect(await hostFor(FIPS_HOST)).toBe(API.both);
  });
});

describe('ECR Public', () => {
  it('follows the same settings (the SDK rules for ecr-public)', async () => {
    expect(await hostFor('public.ecr.aws')).toBe('api.ecr-public.us-east-1.amazonaws.com');
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', 'true');
    expect(await hostFor('public.ecr.aws')).toBe('api.ecr-public-fips.us-east-1.amazonaws.com');
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', undefined);
    vi.stubEnv('AWS_USE_DUALSTACK_ENDPOINT', 'true');
    expect(await hostFor('public.ecr.aws')).toBe('ecr-public.us-east-1.api.aws');
  });
});

describe('with an endpoint override (the emulator)', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());

  it('FIPS and dual-stack stay off whatever asks for them: the SDK would refuse them with a custom endpoint', async () => {
    vi.stubEnv('HTTPS_PROXY', undefined);
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', 'true');
    vi.stubEnv('AWS_USE_DUALSTACK_ENDPOINT', 'true');
    emulator.reset();
    const provider = providerFor(emulator, { useFipsEndpoint: true, useDualstackEndpoint: true, retry: { retries: 0 } });
    providers.push(provider);
    await provider.getToken(PLAIN);
    await provider.getToken(FIPS_HOST);
    await provider.getToken(DUALSTACK_FIPS_HOST);
    // FIPS, dual-stack and plain hosts keep separate cache entries (one call each), never sharing a token.
    expect(emulator.stats().requests['ecr:GetAuthorizationToken']).toBe(3);
    await provider.getToken(FIPS_HOST);
    expect(emulator.stats().requests['ecr:GetAuthorizationToken']).toBe(3);
  });
});
