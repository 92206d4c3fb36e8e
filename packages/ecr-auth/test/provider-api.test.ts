// The provider's smaller public surface against the emulator (real SDK, real HTTP): getTokens in order with one
// call per region, clear() forgetting the cache, a default region looked up only when a request needs one, the
// ECR Public client's region check, and the process-wide getToken().
import { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import type { Emulator } from '@ecr-auth/emulator';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EcrTokenProvider, getToken, InvalidOptionError } from 'ecr-auth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { frozenClock, until } from './fixtures/clock.ts';
import { emulatorCredentials, providerFor, startTestEmulator } from '../../../test-support/emulator.ts';

const host = (account: string, region = 'us-east-1') => `${account}.dkr.ecr.${region}.amazonaws.com`;
const calls = (emulator: Emulator): number => emulator.stats().requests['ecr:GetAuthorizationToken'] ?? 0;

let emulator: Emulator;
let providers: EcrTokenProvider[] = [];
const track = (provider: EcrTokenProvider) => (providers.push(provider), provider);
beforeEach(async () => {
  emulator = await startTestEmulator();
});
afterEach(async () => {
  await Promise.all(providers.map((provider) => provider.close()));
  providers = [];
  await emulator.stop();
});

function withEnv<T>(values: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  const set = (entries: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  set(values);
  return run().finally(() => set(saved));
}

describe('getTokens', () => {
  it('answers in the order asked, one call per region', async () => {
    const provider = track(providerFor(emulator));
    const tokens = await provider.getTokens([host('111111111111'), host('222222222222', 'eu-west-1'), { registry: host('333333333333') }]);
    expect(tokens.map((token) => token.registry)).toEqual([host('111111111111'), host('222222222222', 'eu-west-1'), host('333333333333')]);
    expect(calls(emulator)).toBe(2);
    // The options reach every request: forceRefresh calls again, once per region.
    await provider.getTokens([host('111111111111'), host('222222222222', 'eu-west-1')], { forceRefresh: true });
    expect(calls(emulator)).toBe(4);
    expect(await provider.getTokens([])).toEqual([]);
  });
});

describe('clear()', () => {
  it('forgets every cached token: the next call fetches anew', async () => {
    const provider = track(providerFor(emulator));
    // Before any getToken there is no cache yet; clear() is harmless.
    provider.clear();
    const first = await provider.getToken(host('123456789012'));
    // Negative control: without clear(), the cache answers.
    expect(await provider.getToken(host('123456789012'))).toBe(first);
    expect(calls(emulator)).toBe(1);
    provider.clear();
    const second = await provider.getToken(host('123456789012'));
    expect(calls(emulator)).toBe(2);
    expect(second.revealPassword()).not.toBe(first.revealPassword());
  });
});

describe('the default region', () => {
  it('is looked up (once) only when a request names no region', async () => {
    const options = { endpoint: emulator.url, publicEndpoint: emulator.url, credentials: emulatorCredentials(emulator), retry: { retries: 0 } };
    const noRegion = { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_CONFIG_FILE: '/nonexistent/ecr-auth-config', AWS_PROFILE: undefined };
    const provider = track(new EcrTokenProvider(options));
    // With no region anywhere, requests that name one, or ECR Public, still work, without a lookup…
    await withEnv(noRegion, async () => {
      expect((await provider.getToken({ region: 'eu-west-1' })).region).toBe('eu-west-1');
      expect((await provider.getToken({ public: true })).kind).toBe('public');
      expect((await provider.getToken(host('123456789012', 'eu-north-1'))).region).toBe('eu-north-1');
      expect((await provider.getToken({ registry: host('123456789012', 'eu-south-1') })).region).toBe('eu-south-1');
    });
    // …so the region that is configured by the time a request names none is the one used.
    await withEnv({ ...noRegion, AWS_REGION: 'ap-south-1' }, async () => {
      expect((await provider.getToken()).region).toBe('ap-south-1');
      expect((await provider.getToken({})).region).toBe('ap-south-1');
    });
    // Negative control: a request naming nothing while no region is configured is refused.
    await withEnv(noRegion, async () => {
      await expect(track(new EcrTokenProvider(options)).getToken({})).rejects.toThrow(InvalidOptionError);
    });
  });
});

describe('a caller’s own ECR Public client', () => {
  it('must be for us-east-1, and the refusal names the ECRPUBLICClient', async () => {
    const credentials = emulatorCredentials(emulator);
    const wrong = new ECRPUBLICClient({ region: 'eu-west-1', endpoint: emulator.url, credentials, maxAttempts: 1 });
    const right = new ECRPUBLICClient({ region: 'us-east-1', endpoint: emulator.url, credentials, maxAttempts: 1 });
    try {
      const error = await track(new EcrTokenProvider({ publicClient: wrong, retry: { retries: 0 } })).getToken({ public: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as Error).message).toBe(
        'ecr-auth: the ECRPUBLICClient passed in is for region eu-west-1, but a registry in us-east-1 was asked for; pass a provider per region, or let ecr-auth create its clients',
      );
      // Negative control: the same client for us-east-1 is used.
      const token = await track(new EcrTokenProvider({ publicClient: right, retry: { retries: 0 } })).getToken({ public: true });
      expect(token.registry).toBe('public.ecr.aws');
    } finally {
      wrong.destroy();
      right.destroy();
    }
  });
});

describe('getToken() (the process-wide provider)', () => {
  it('reads the standard environment and shares one provider and its cache between calls', async () => {
    const { accessKeyId, secretAccessKey } = emulatorCredentials(emulator);
    await withEnv({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_ECR: emulator.url, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined }, async () => {
      const first = await getToken(host('123456789012'));
      expect(emulator.issuedPasswords()).toContain(first.revealPassword());
      expect(await getToken(host('123456789012'))).toBe(first);
      expect(calls(emulator)).toBe(1);
      // The options are passed on: forceRefresh calls again.
      const forced = await getToken(host('123456789012'), { forceRefresh: true });
      expect(forced.revealPassword()).not.toBe(first.revealPassword());
      expect(calls(emulator)).toBe(2);
    });
  });
});

describe('what a fetch reports', () => {
  it('logs each fetch and the token’s validity by kind and region, and addresses the token over https', async () => {
    const lines: string[] = [];
    const keep = (line: string) => void lines.push(line);
    const provider = track(providerFor(emulator, { logger: { debug: keep, info: keep, warn: keep, error: keep } }));
    const token = await provider.getToken();
    const port = new URL(emulator.url).port;
    expect(lines).toEqual([
      'ecr-auth: GetAuthorizationToken (private, us-east-1): fetching',
      // Static credentials and no proxy: ecr-auth signs and sends the call itself.
      `ecr-auth: GetAuthorizationToken (private, us-east-1): signed and sent by ecr-auth itself to 127.0.0.1:${port} (static credentials, no proxy); the AWS SDK is not loaded`,
      `ecr-auth: GetAuthorizationToken (private, us-east-1): token for ${host('123456789012')} valid until ${token.expiresAt.toISOString()}`,
    ]);
    expect(token.proxyEndpoint).toBe(`https://${host('123456789012')}`);
    const publicToken = await provider.getToken({ public: true });
    expect(lines[3]).toBe('ecr-auth: GetAuthorizationToken (public, us-east-1): fetching');
    expect(lines.slice(4).some((line) => line.includes('itself'))).toBe(false);
    expect(publicToken.proxyEndpoint).toBe('https://public.ecr.aws');
    expect(publicToken.accountId).toBeUndefined();
  });

  it('names the API it could not reach by kind and region when no endpoint is configured', async () => {
    // A request handler of the caller's that never connects: no endpoint override, and no traffic to AWS.
    const refuse = { handle: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) };
    const provider = track(new EcrTokenProvider({ region: 'eu-west-1', credentials: emulatorCredentials(emulator), requestHandler: refuse, retry: { retries: 0 } }));
    await withEnv({ AWS_ENDPOINT_URL_ECR: undefined, AWS_ENDPOINT_URL: undefined }, async () => {
      await expect(provider.getToken()).rejects.toThrow('ecr-auth: could not reach ECR at private ECR in eu-west-1 (ECONNREFUSED: connect ECONNREFUSED)');
    });
  });
});

describe('failures, by how they were met', () => {
  it('logs a failed first fetch at debug (the caller gets the error) and a failed background refresh at warn', async () => {
    const emulatorShort = await startTestEmulator({ tokenTtlSeconds: 2 });
    try {
      const debug: string[] = [];
      const warn: string[] = [];
      const logger = { debug: (line: string) => void debug.push(line), warn: (line: string) => void warn.push(line) };
      const provider = track(providerFor(emulatorShort, { logger, retry: { retries: 0 }, cache: { failureCooldownMs: 100 } }));
      const clock = frozenClock();
      emulatorShort.injectFault({ kind: 'server-error', count: 1 });
      await expect(provider.getToken()).rejects.toThrow(/ServerException/);
      expect(debug.filter((line) => line.includes('next attempt in'))).toHaveLength(1);
      expect(warn).toEqual([]);
      clock.advance(100);
      const token = await provider.getToken();
      emulatorShort.injectFault({ kind: 'server-error', count: 1 });
      clock.advance(1_000);
      expect(await provider.getToken()).toBe(token);
      await until(() => warn.length === 1);
      expect(warn[0]).toMatch(/^ecr-auth: GetAuthorizationToken \(private, us-east-1\): ecr-auth: GetAuthorizationToken failed \(ServerException, HTTP 500: .*\) \(next attempt in 0 s\)$/);
      expect(debug.filter((line) => line.includes('next attempt in'))).toHaveLength(1);
    } finally {
      await emulatorShort.stop();
    }
  });

  it('creates a client again after its creation failed, once the cause is fixed', async () => {
    const provider = track(providerFor(emulator, { retry: { retries: 0 } }));
    await withEnv({ AWS_CA_BUNDLE: '/nonexistent/ca.pem' }, async () => {
      await expect(provider.getToken()).rejects.toThrow(/AWS_CA_BUNDLE \(\/nonexistent\/ca\.pem\) cannot be read/);
    });
    await withEnv({ AWS_CA_BUNDLE: undefined }, async () => {
      expect((await provider.getToken(undefined, { forceRefresh: true })).registry).toBe(host('123456789012'));
    });
  });
});

describe('one client and one addressed token, reused', () => {
  it('asks for credentials once across fetches of a region: one client per region', async () => {
    let asked = 0;
    const credentials = emulatorCredentials(emulator);
    const provider = track(providerFor(emulator, { credentials: () => ((asked += 1), Promise.resolve(credentials)) }));
    await provider.getToken();
    await provider.getToken(undefined, { forceRefresh: true });
    await provider.getToken(undefined, { forceRefresh: true });
    expect(calls(emulator)).toBe(3);
    expect(asked).toBe(1);
    // Negative control: another region is another client, which asks again.
    await provider.getToken({ region: 'eu-west-1' });
    expect(asked).toBe(2);
  });

  it('hands out the same token object for the same other registry of a region', async () => {
    const provider = track(providerFor(emulator));
    const own = await provider.getToken();
    const other = await provider.getToken({ registry: host('210987654321') });
    expect(other).not.toBe(own);
    expect(await provider.getToken({ registry: host('210987654321') })).toBe(other);
    expect(other.revealPassword()).toBe(own.revealPassword());
  });

  it('refuses an ECRClient of another region, naming it', async () => {
    const client = new ECRClient({ region: 'eu-west-1', endpoint: emulator.url, credentials: emulatorCredentials(emulator), maxAttempts: 1 });
    try {
      const provider = track(new EcrTokenProvider({ client, retry: { retries: 0 } }));
      await expect(provider.getToken(host('123456789012', 'us-west-2'))).rejects.toThrow(
        new InvalidOptionError('the ECRClient passed in is for region eu-west-1, but a registry in us-west-2 was asked for; pass a provider per region, or let ecr-auth create its clients'),
      );
    } finally {
      client.destroy();
    }
  });
});
