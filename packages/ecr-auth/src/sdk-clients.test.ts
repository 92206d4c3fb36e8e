// How ecr-auth builds its SDK clients: which endpoint override is in force (settings, then the standard
// variables, an empty one being none), the endpoint variants, one attempt per call, the caller's request handler
// used as is, the SDK's warnings passed on by their first line only, and the default region.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClientTarget } from './client-types.js';
import { createSdkClient, defaultRegion, endpointOverride, endpointVariantConfig } from './sdk-clients.js';

const PRIVATE: ClientTarget = { kind: 'private', region: 'eu-west-1', fips: false, dualStack: false };
const PUBLIC: ClientTarget = { kind: 'public', region: 'us-east-1', fips: false, dualStack: false };
const dir = mkdtempSync(join(tmpdir(), 'ecr-auth-sdk-clients-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('endpointOverride', () => {
  it('takes the setting, then the service variable, then AWS_ENDPOINT_URL; an empty variable is none', () => {
    const env = { AWS_ENDPOINT_URL_ECR: 'http://ecr.env', AWS_ENDPOINT_URL_ECR_PUBLIC: 'http://public.env', AWS_ENDPOINT_URL: 'http://all.env' };
    expect(endpointOverride('private', { endpoint: 'http://setting' }, env)).toBe('http://setting');
    expect(endpointOverride('private', {}, env)).toBe('http://ecr.env');
    expect(endpointOverride('public', { publicEndpoint: 'http://public.setting', endpoint: 'http://setting' }, env)).toBe('http://public.setting');
    expect(endpointOverride('public', { endpoint: 'http://setting' }, env)).toBe('http://public.env');
    expect(endpointOverride('private', {}, { AWS_ENDPOINT_URL: 'http://all.env' })).toBe('http://all.env');
    expect(endpointOverride('public', {}, { AWS_ENDPOINT_URL: 'http://all.env' })).toBe('http://all.env');
    expect(endpointOverride('private', {}, { AWS_ENDPOINT_URL_ECR: '', AWS_ENDPOINT_URL: 'http://all.env' })).toBe('http://all.env');
    expect(endpointOverride('private', {}, { AWS_ENDPOINT_URL_ECR: '', AWS_ENDPOINT_URL: '' })).toBeUndefined();
    expect(endpointOverride('public', {}, { AWS_ENDPOINT_URL_ECR: 'http://ecr.env' })).toBeUndefined();
  });
});

describe('endpointVariantConfig', () => {
  it('switches both variants off under an endpoint override, whatever asks for them', () => {
    expect(endpointVariantConfig({ fips: true, dualStack: true }, { useFipsEndpoint: true, useDualstackEndpoint: true }, 'http://127.0.0.1:1')).toStrictEqual({ useFipsEndpoint: false, useDualstackEndpoint: false });
  });

  it('turns a variant on for its host, else takes the option, else leaves the SDK’s setting alone', () => {
    expect(endpointVariantConfig({ fips: true, dualStack: false }, {}, undefined)).toStrictEqual({ useFipsEndpoint: true });
    expect(endpointVariantConfig({ fips: false, dualStack: true }, {}, undefined)).toStrictEqual({ useDualstackEndpoint: true });
    expect(endpointVariantConfig({ fips: true, dualStack: true }, { useFipsEndpoint: false, useDualstackEndpoint: false }, undefined)).toStrictEqual({ useFipsEndpoint: true, useDualstackEndpoint: true });
    expect(endpointVariantConfig({ fips: false, dualStack: false }, { useFipsEndpoint: false, useDualstackEndpoint: true }, undefined)).toStrictEqual({ useFipsEndpoint: false, useDualstackEndpoint: true });
    expect(endpointVariantConfig({ fips: false, dualStack: false }, {}, undefined)).toStrictEqual({});
  });
});

describe('createSdkClient', () => {
  it('makes one attempt per call, in the target’s region, at the override for its kind', async () => {
    const client = await createSdkClient(PRIVATE, { endpoint: 'http://127.0.0.1:4566', publicEndpoint: 'http://127.0.0.1:4567', credentials: { accessKeyId: 'AKID', secretAccessKey: 's' } });
    try {
      expect(client.constructor.name).toBe('ECRClient');
      expect(await client.config.region()).toBe('eu-west-1');
      expect(await client.config.maxAttempts()).toBe(1);
      expect((await client.config.endpoint?.())?.port).toBe(4566);
      expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'AKID' });
    } finally {
      client.destroy();
    }
    const publicClient = await createSdkClient(PUBLIC, { endpoint: 'http://127.0.0.1:4566', publicEndpoint: 'http://127.0.0.1:4567', profile: 'ci' });
    try {
      expect(publicClient.constructor.name).toBe('ECRPUBLICClient');
      expect((await publicClient.config.endpoint?.())?.port).toBe(4567);
      expect(publicClient.config.profile).toBe('ci');
    } finally {
      publicClient.destroy();
    }
  });

  it('uses the caller’s request handler as is, without reading any proxy setting', async () => {
    const handler = { handle: () => Promise.reject(new Error('not called')), metadata: { handlerProtocol: 'h1' } };
    // Negative control: without a handler of the caller's, an unusable proxy setting is refused at once.
    await expect(createSdkClient(PRIVATE, { proxy: 'socks5://proxy.example:1080' })).rejects.toThrow(/socks5 proxy/);
    const client = await createSdkClient(PRIVATE, { requestHandler: handler, proxy: 'socks5://proxy.example:1080' });
    try {
      expect(client.config.requestHandler).toBe(handler);
    } finally {
      client.destroy();
    }
  });

  it('passes the SDK’s text warnings on by their first line, and nothing else it logs', async () => {
    const warnings: string[] = [];
    const other: string[] = [];
    const client = await createSdkClient(PRIVATE, { logger: { warn: (line) => warnings.push(line), debug: (line) => other.push(line), info: (line) => other.push(line), error: (line) => other.push(line) } });
    try {
      const logger = client.config.logger;
      logger.warn('Multiple credential sources detected\nsecond line');
      logger.error('an error text\nwith detail');
      logger.warn({ input: 'x', error: new Error('record') });
      logger.debug('request with a token');
      logger.info('response with a token');
      logger.trace?.('trace');
      expect(warnings).toEqual(['ecr-auth: AWS SDK: Multiple credential sources detected', 'ecr-auth: AWS SDK: an error text']);
      expect(other).toEqual([]);
    } finally {
      client.destroy();
    }
  });
});

describe('defaultRegion', () => {
  it('takes AWS_REGION, then AWS_DEFAULT_REGION, then the profile’s region, else none', async () => {
    expect(await defaultRegion({}, { AWS_REGION: 'eu-west-3', AWS_DEFAULT_REGION: 'us-west-1' })).toBe('eu-west-3');
    expect(await defaultRegion({}, { AWS_DEFAULT_REGION: 'us-west-1' })).toBe('us-west-1');
    const config = join(dir, 'config');
    writeFileSync(config, '[default]\nregion = ap-east-1\n[profile dev]\nregion = sa-east-1\n');
    const saved = { AWS_CONFIG_FILE: process.env['AWS_CONFIG_FILE'], AWS_REGION: process.env['AWS_REGION'], AWS_PROFILE: process.env['AWS_PROFILE'] };
    process.env['AWS_CONFIG_FILE'] = config;
    delete process.env['AWS_REGION'];
    delete process.env['AWS_PROFILE'];
    try {
      expect(await defaultRegion({ profile: 'dev' }, {})).toBe('sa-east-1');
      expect(await defaultRegion({}, {})).toBe('ap-east-1');
      process.env['AWS_CONFIG_FILE'] = join(dir, 'missing');
      expect(await defaultRegion({}, {})).toBeUndefined();
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
