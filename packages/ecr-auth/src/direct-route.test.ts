// directRoute decides when ecr-auth may send GetAuthorizationToken itself instead of through the SDK. It must
// never go direct where the SDK would do something else: each row below changes one thing of a case that goes
// direct (the first row, the positive control) and must go through the SDK; the regional endpoint must be the
// one the SDK's own endpoint rules give, for a region of every partition.
import { ECRClient } from '@aws-sdk/client-ecr';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { directRoute } from './direct-route.js';
import { proxyFor } from './proxy-env.js';
import type { ClientTarget } from './client-types.js';
import type { ClientSettings } from './sdk-clients.js';

const dir = mkdtempSync(join(tmpdir(), 'ecr-auth-direct-route-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** A config file with this text. */
function configFile(text: string): string {
  const path = join(dir, `config-${files++}`);
  writeFileSync(path, text);
  return path;
}

const TARGET: ClientTarget = { kind: 'private', region: 'eu-west-1', fips: false, dualStack: false };
const KEYS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
/** An environment with no AWS settings but a config file that does not exist. */
const ENV = { AWS_CONFIG_FILE: join(dir, 'none'), HOME: dir };
const ENV_KEYS = { ...ENV, AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret' };

interface Case {
  name: string;
  target?: Partial<ClientTarget>;
  settings?: ClientSettings;
  override?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

/** The route of a case, with the proxy set-up the provider would make from its settings and environment. */
function route(c: Case) {
  const settings = { credentials: KEYS, ...c.settings };
  const env = c.env ?? ENV;
  return directRoute({ ...TARGET, ...c.target }, settings, 'override' in c ? c.override : 'http://127.0.0.1:4566', { proxyFor: (url) => proxyFor(url, settings, env) }, env);
}

describe('directRoute', () => {
  it('goes direct with static credentials and no proxy, to a bare override (the positive control)', async () => {
    expect(await route({ name: 'control' })).toEqual({ endpoint: new URL('http://127.0.0.1:4566'), region: 'eu-west-1', credentials: { ...KEYS, sessionToken: undefined } });
    expect((await route({ name: 'https', override: 'https://vpce-1.api.ecr.eu-west-1.vpce.amazonaws.com' }))?.endpoint.href).toBe('https://vpce-1.api.ecr.eu-west-1.vpce.amazonaws.com/');
  });

  it('takes the environment’s keys (and session token) when no credentials are given and no profile is named, as the SDK’s chain does first', async () => {
    const found = await route({ name: 'env', settings: { credentials: undefined }, env: { ...ENV_KEYS, AWS_SESSION_TOKEN: 'token' } });
    expect(found?.credentials).toEqual({ accessKeyId: 'AKIDENV', secretAccessKey: 'env-secret', sessionToken: 'token' });
    expect((await route({ name: 'env, no token', settings: { credentials: undefined }, env: { ...ENV_KEYS, AWS_SESSION_TOKEN: '' } }))?.credentials.sessionToken).toBeUndefined();
  });

  it('goes direct past a proxy that NO_PROXY bypasses for the endpoint, or that is for the other scheme', async () => {
    expect(await route({ name: 'bypassed', env: { ...ENV, HTTP_PROXY: 'http://127.0.0.1:3128', NO_PROXY: '127.0.0.1' } })).toBeDefined();
    expect(await route({ name: 'https only', env: { ...ENV, HTTPS_PROXY: 'http://127.0.0.1:3128' } })).toBeDefined();
    expect(await route({ name: 'proxy: false', settings: { proxy: false }, env: { ...ENV, HTTP_PROXY: 'http://127.0.0.1:3128' } })).toBeDefined();
  });

  it('keeps settings that change nothing of the request: a profile (given keys) with a region and output only', async () => {
    const config = configFile('[profile ci]\nregion = us-west-2\noutput = json\n[default]\nuse_fips_endpoint = true\n');
    expect(await route({ name: 'profile', settings: { profile: 'ci' }, env: { ...ENV, AWS_CONFIG_FILE: config } })).toBeDefined();
    // …but the default profile of the same file turns FIPS on: not direct (negative control).
    expect(await route({ name: 'default profile', env: { ...ENV, AWS_CONFIG_FILE: config } })).toBeUndefined();
  });

  const SDK_CASES: Case[] = [
    { name: 'ECR Public', target: { kind: 'public' } },
    { name: 'a FIPS registry', target: { fips: true } },
    { name: 'a dual-stack registry', target: { dualStack: true } },
    { name: 'the useFipsEndpoint option', settings: { useFipsEndpoint: true } },
    { name: 'the useDualstackEndpoint option', settings: { useDualstackEndpoint: true } },
    { name: 'a request handler of the caller’s', settings: { requestHandler: {} } },
    { name: 'a proxy for the endpoint (HTTP_PROXY)', env: { ...ENV, HTTP_PROXY: 'http://127.0.0.1:3128' } },
    { name: 'a proxy for the endpoint (the proxy option)', settings: { proxy: 'http://127.0.0.1:3128' } },
    { name: 'a proxy for an https endpoint (https_proxy)', override: 'https://vpce-1.api.ecr.eu-west-1.vpce.amazonaws.com', env: { ...ENV, https_proxy: 'http://127.0.0.1:3128' } },
    { name: 'AWS_USE_FIPS_ENDPOINT', env: { ...ENV, AWS_USE_FIPS_ENDPOINT: 'true' } },
    { name: 'AWS_USE_DUALSTACK_ENDPOINT', env: { ...ENV, AWS_USE_DUALSTACK_ENDPOINT: 'true' } },
    { name: 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', env: { ...ENV, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' } },
    { name: 'a credentials provider function', settings: { credentials: async () => KEYS } },
    { name: 'credentials that expire', settings: { credentials: { ...KEYS, expiration: new Date(Date.now() + 3_600_000) } } },
    { name: 'credentials without a secret', settings: { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: '' } } },
    { name: 'credentials without a key id', settings: { credentials: { accessKeyId: '', secretAccessKey: 'secret' } } },
    { name: 'no credentials and none in the environment', settings: { credentials: undefined } },
    { name: 'the environment’s keys with AWS_PROFILE set', settings: { credentials: undefined }, env: { ...ENV_KEYS, AWS_PROFILE: 'dev' } },
    { name: 'the environment’s keys with the profile option', settings: { credentials: undefined, profile: 'dev' } , env: ENV_KEYS },
    { name: 'the environment’s keys without a secret', settings: { credentials: undefined }, env: { ...ENV_KEYS, AWS_SECRET_ACCESS_KEY: '' } },
    { name: 'the environment’s keys with AWS_CREDENTIAL_EXPIRATION', settings: { credentials: undefined }, env: { ...ENV_KEYS, AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z' } },
    { name: 'an override with a path', override: 'http://127.0.0.1:4566/ecr' },
    { name: 'an override with a query', override: 'http://127.0.0.1:4566/?a=b' },
    { name: 'an override with a fragment', override: 'http://127.0.0.1:4566/#x' },
    { name: 'an override with a user', override: 'http://user@127.0.0.1:4566' },
    { name: 'an override with a password', override: 'http://:pw@127.0.0.1:4566' },
    { name: 'an override that is not http(s)', override: 'ftp://127.0.0.1:4566' },
    { name: 'an override that is not a URL', override: '127.0.0.1:4566' },
    ...['use_fips_endpoint = true', 'use_dualstack_endpoint = true', 'endpoint_url = https://ecr.example', 'services = mine', 'ignore_configured_endpoint_urls = true'].map(
      (line): Case => ({ name: `the profile’s ${line}`, env: { ...ENV, AWS_CONFIG_FILE: configFile(`[default]\nregion = eu-west-1\n${line}\n`) } }),
    ),
  ];

  it.each(SDK_CASES)('leaves the fetch to the SDK for $name', async (c) => {
    expect(await route(c)).toBeUndefined();
  });

  // A region of every partition (and one of no known partition): the host ecr-auth signs for and sends to must
  // be the one the SDK's endpoint rules give.
  const REGIONS = ['us-east-1', 'eu-central-2', 'ap-southeast-7', 'mx-central-1', 'il-central-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1', 'xx-unknown-1'];
  it.each(REGIONS)('sends to the regional endpoint the SDK’s rules give with no override: %s', async (region) => {
    const client = new ECRClient({ region, credentials: KEYS });
    try {
      const expected = client.config.endpointProvider({ Region: region, UseFIPS: false, UseDualStack: false }).url.href;
      expect((await route({ name: region, target: { region }, override: undefined }))?.endpoint.href).toBe(expected);
    } finally {
      client.destroy();
    }
  });
});
