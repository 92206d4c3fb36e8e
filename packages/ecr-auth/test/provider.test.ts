import type { Emulator } from '@ecr-auth/emulator';
import {
  AbortedError,
  AccessDeniedError,
  CredentialsError,
  EcrApiError,
  EcrAuthError,
  EcrTokenProvider,
  InvalidOptionError,
  NetworkError,
  RegistryParseError,
  ThrottlingError,
  type EcrTokenProviderOptions,
} from 'ecr-auth';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DIRECT_DEBUG_LINE, emulatorCredentials, providerFor as emulatorProvider, startTestEmulator, TRANSPORTS } from '../../../test-support/emulator.ts';
import { ledgerLogger, recordError } from '../../../test-support/leaks.ts';
import { frozenClock } from './fixtures/clock.ts';

const host = (account: string, region = 'us-east-1') => `${account}.dkr.ecr.${region}.amazonaws.com`;
const privateCalls = (emulator: Emulator) => emulator.stats().requests['ecr:GetAuthorizationToken'];
const publicCalls = (emulator: Emulator) => emulator.stats().requests['ecr-public:GetAuthorizationToken'];

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

describe.each(TRANSPORTS)('EcrTokenProvider against the emulator (through the $name, real HTTP)', (transport) => {
  const credentialsOf = (e: Emulator, changes: { secretAccessKey?: string } = {}) => transport.credentials({ ...emulatorCredentials(e), ...changes });
  const providerFor = (e: Emulator, options: EcrTokenProviderOptions = {}) => emulatorProvider(e, { credentials: credentialsOf(e), ...options });

  it('takes the path of its credentials: its own signed request for static ones, the SDK for a provider function', async () => {
    const lines: string[] = [];
    const provider = track(providerFor(emulator, { logger: { debug: (line) => lines.push(line) } }));
    await provider.getToken();
    expect(lines.some((line) => DIRECT_DEBUG_LINE.test(line))).toBe(transport.direct);
    expect(privateCalls(emulator)).toBe(1);
  });

  it('gets a private token for the caller’s own registry and decodes it', async () => {
    const provider = track(providerFor(emulator));
    const started = Date.now();
    const token = await provider.getToken();
    expect(token.registry).toBe(host('123456789012'));
    expect(token.username).toBe('AWS');
    expect(emulator.issuedPasswords()).toContain(token.revealPassword());
    expect(token.kind).toBe('private');
    expect(token.accountId).toBe('123456789012');
    expect(token.expiresAt.getTime()).toBeGreaterThan(started + 11.9 * 3600_000);
    expect(token.expiresAt.getTime()).toBeLessThan(Date.now() + 12.1 * 3600_000);
    expect(privateCalls(emulator)).toBe(1);
  });

  it('refuses to address a token to a proxy endpoint that is not an ECR registry of the region asked', async () => {
    for (const spoof of ['https://anything.example', 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.test', 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'https://user:s3cr3t-in-url@123456789012.dkr.ecr.us-east-1.amazonaws.com?sig=s3cr3t-in-query']) {
      const spoofing = await startTestEmulator({ proxyEndpoint: spoof });
      try {
        const error = await rejection(track(providerFor(spoofing)).getToken());
        expect(error).toBeInstanceOf(EcrApiError);
        expect(error.code).toBe('ECR_AUTH_SERVICE');
        expect(error.message).toMatch(/not an ECR registry in us-east-1/);
        expect(error.message).not.toMatch(/s3cr3t/);
        // Not retried: one call.
        expect(privateCalls(spoofing)).toBe(1);
      } finally {
        await spoofing.stop();
      }
    }
    // Negative control: the same answer with a real ECR host of the region is accepted.
    const honest = await startTestEmulator({ proxyEndpoint: 'https://210987654321.dkr.ecr.us-east-1.amazonaws.com' });
    try {
      const token = await track(providerFor(honest)).getToken();
      expect(token.registry).toBe('210987654321.dkr.ecr.us-east-1.amazonaws.com');
      expect(token.accountId).toBe('210987654321');
    } finally {
      await honest.stop();
    }
  });

  it('serves 1,000 concurrent cold callers with exactly one API call', async () => {
    const provider = track(providerFor(emulator));
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => provider.getToken(host('123456789012'))));
    expect(new Set(tokens.map((token) => token.revealPassword())).size).toBe(1);
    expect(privateCalls(emulator)).toBe(1);
  });

  it('serves 20 registries of one region with one call, and another region with a second', async () => {
    const provider = track(providerFor(emulator));
    const accounts = Array.from({ length: 20 }, (_, i) => String(100000000000 + i));
    const tokens = await Promise.all(accounts.map((account) => provider.getToken(`${host(account)}/app:v${account.slice(-2)}`)));
    expect(tokens.map((token) => token.registry)).toEqual(accounts.map((account) => host(account)));
    expect(tokens.map((token) => token.accountId)).toEqual(accounts);
    expect(privateCalls(emulator)).toBe(1);
    // Negative control: a registry in another region is another token and another call.
    const other = await provider.getToken(host('100000000000', 'eu-west-1'));
    expect(other.region).toBe('eu-west-1');
    expect(privateCalls(emulator)).toBe(2);
  });

  it('gets ECR Public tokens from the public API', async () => {
    const provider = track(providerFor(emulator));
    const token = await provider.getToken('public.ecr.aws/nginx/nginx:latest');
    expect(token).toMatchObject({ registry: 'public.ecr.aws', kind: 'public', region: 'us-east-1', username: 'AWS' });
    expect(await provider.getToken({ public: true })).toBe(token);
    expect(publicCalls(emulator)).toBe(1);
    expect(privateCalls(emulator)).toBe(0);
  });

  it('addresses custom names given an explicit region, and explains when the region is missing', async () => {
    const provider = track(providerFor(emulator));
    const token = await provider.getToken({ registry: 'ecr-proxy.example.com/app:v1', region: 'us-east-1', accountId: '123456789012' });
    expect(token.registry).toBe('ecr-proxy.example.com');
    const error = await rejection(provider.getToken('ecr-proxy.example.com/app:v1'));
    expect(error).toBeInstanceOf(RegistryParseError);
    expect(error.message).toMatch(/region/);
    expect(privateCalls(emulator)).toBe(1);
  });

  it('does not switch FIPS hosts to FIPS endpoints while an endpoint override is in force', async () => {
    const provider = track(providerFor(emulator));
    const token = await provider.getToken('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com');
    expect(token.registry).toBe('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com');
    expect(token.region).toBe('us-gov-west-1');
  });

  it('retries throttling and then succeeds', async () => {
    const provider = track(providerFor(emulator));
    emulator.injectFault({ kind: 'throttle', count: 2 });
    await provider.getToken();
    expect(privateCalls(emulator)).toBe(3);
  });

  it('retries 5xx and connection resets', async () => {
    const provider = track(providerFor(emulator));
    emulator.injectFault({ kind: 'server-error', count: 1 });
    emulator.injectFault({ kind: 'reset', count: 1 });
    await provider.getToken();
    expect(privateCalls(emulator)).toBe(3);
  });

  it('gives up on throttling after the configured retries, with a typed error', async () => {
    const provider = track(providerFor(emulator, { retry: { retries: 2 } }));
    emulator.injectFault({ kind: 'throttle', count: 10 });
    const error = await rejection(provider.getToken());
    expect(error).toBeInstanceOf(ThrottlingError);
    expect((error as ThrottlingError).attempts).toBe(3);
    expect(privateCalls(emulator)).toBe(3);
  });

  it('does not retry AccessDenied, and names the missing permission and policy', async () => {
    const provider = track(providerFor(emulator));
    emulator.injectFault({ kind: 'access-denied', count: 5 });
    const error = await rejection(provider.getToken());
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error.code).toBe('ECR_AUTH_ACCESS_DENIED');
    expect(error.message).toContain('ecr:GetAuthorizationToken');
    expect(JSON.parse((error as AccessDeniedError).policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' }],
    });
    expect(privateCalls(emulator)).toBe(1);
  });

  it('names both ECR Public actions on AccessDenied', async () => {
    const provider = track(providerFor(emulator));
    emulator.injectFault({ kind: 'access-denied', count: 1 });
    const error = await rejection(provider.getToken({ public: true }));
    expect(error.message).toContain('ecr-public:GetAuthorizationToken');
    expect(error.message).toContain('sts:GetServiceBearerToken');
  });

  it('does not retry bad credentials', async () => {
    const provider = track(
      providerFor(emulator, { credentials: credentialsOf(emulator, { secretAccessKey: 'wrong-secret' }) }),
    );
    const error = await rejection(provider.getToken());
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error.code).toBe('ECR_AUTH_INVALID_CREDENTIALS');
    expect(error.message).not.toContain('wrong-secret');
    expect(privateCalls(emulator)).toBe(1);
  });

  it('reports an unreachable endpoint as a NetworkError after bounded retries', async () => {
    const url = emulator.url;
    await emulator.stop();
    const provider = track(new EcrTokenProvider({
      region: 'us-east-1',
      endpoint: url,
      credentials: credentialsOf(emulator),
      logger: ledgerLogger(),
      retry: { retries: 2, minDelayMs: 5, maxDelayMs: 10 },
    }));
    const started = Date.now();
    const error = await rejection(provider.getToken());
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).attempts).toBe(3);
    expect(error.message).toContain(url);
    expect(Date.now() - started).toBeLessThan(5_000);
    emulator = await startTestEmulator();
  });

  it('bounds a hanging endpoint by the attempt timeout and the overall deadline', async () => {
    const provider = track(providerFor(emulator, { retry: { retries: 5, attemptTimeoutMs: 100, totalTimeoutMs: 350 } }));
    emulator.injectFault({ kind: 'delay', count: 20, ms: 2_000 });
    const error = await rejection(provider.getToken());
    expect(error).toBeInstanceOf(NetworkError);
    // The overall deadline ended it (the attempt timeout's message also says "within": not enough to tell).
    expect(error.message).toMatch(/no token within the deadline of 350 ms/);
  });

  it('aborting one caller does not fail the others', async () => {
    const provider = track(providerFor(emulator));
    emulator.injectFault({ kind: 'delay', count: 1, ms: 300 });
    const controller = new AbortController();
    const aborted = provider.getToken(undefined, { signal: controller.signal });
    const others = [provider.getToken(), provider.getToken()];
    await sleep(50);
    controller.abort(new Error('caller gave up'));
    const error = await rejection(aborted);
    expect(error).toBeInstanceOf(AbortedError);
    const tokens = await Promise.all(others);
    expect(tokens[0]).toBe(tokens[1]);
    expect(privateCalls(emulator)).toBe(1);
    // Negative control: an already-aborted signal rejects at once, also without a call.
    await expect(provider.getToken(undefined, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortedError);
  });

  it('refreshes ahead of expiry, never handing out an expired token', async () => {
    await emulator.stop();
    emulator = await startTestEmulator({ tokenTtlSeconds: 3 });
    const provider = track(providerFor(emulator));
    const clock = frozenClock();
    const seen = new Set<string>();
    // 5 s of the clock in 50 ms steps; the HTTP calls and background refreshes take real time in between.
    for (let step = 0; step < 100; step++) {
      const token = await provider.getToken();
      expect(token.remainingMs()).toBeGreaterThan(0);
      seen.add(token.revealPassword());
      clock.advance(50);
      await sleep(2);
    }
    // 3 s tokens over 5 s: refreshed several times, but coalesced (no call per getToken).
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(privateCalls(emulator)).toBe(seen.size);
  });

  it('serves the valid token through a failed refresh, then fails with a typed error once it expires', async () => {
    await emulator.stop();
    emulator = await startTestEmulator({ tokenTtlSeconds: 4 });
    const provider = track(providerFor(emulator, { retry: { retries: 1 } }));
    const clock = frozenClock();
    const first = await provider.getToken();
    emulator.injectFault({ kind: 'server-error', count: 1_000 });
    // 4 s tokens: refresh window from 2 s (half the lifetime) to 3 s (the safety margin, a quarter).
    clock.advance(2_200);
    const during = await provider.getToken();
    expect(during).toBe(first);
    // The background refresh: two attempts (retries: 1), both failing.
    await vi.waitFor(() => expect(privateCalls(emulator)).toBe(3));
    clock.advance(200);
    expect(await provider.getToken()).toBe(first);
    // Past the safety margin: never the expired token.
    clock.advance(first.expiresAt.getTime() - 1_000 - Date.now() + 100);
    const error = await rejection(provider.getToken());
    expect(error).toBeInstanceOf(EcrApiError);
    expect(error.code).toBe('ECR_AUTH_SERVICE');
    // Backoff: the failed refresh's error is answered during its cooldown, without a call storm.
    expect(privateCalls(emulator)).toBe(3);
    // And once the API recovers, a fresh token comes back.
    emulator.clearFaults();
    const fresh = await provider.getToken(undefined, { forceRefresh: true });
    expect(fresh.revealPassword()).not.toBe(first.revealPassword());
  });

  it('judges expiry on the server clock', async () => {
    await emulator.stop();
    // The emulator runs an hour ahead; its 2 h tokens have 2 h left on its clock, 1 h on ours would be wrong.
    emulator = await startTestEmulator({ clockOffsetSeconds: 3600, tokenTtlSeconds: 7200 });
    const provider = track(providerFor(emulator));
    const token = await provider.getToken();
    expect(Math.abs(token.expiresAt.getTime() - (emulator.now() + 7200_000))).toBeLessThan(10_000);
    expect(Math.abs(token.fetchedAt.getTime() - emulator.now())).toBeLessThan(10_000);
    // A second call is served from the cache: the token is judged fresh against the server clock.
    expect(await provider.getToken()).toBe(token);
  });

  it('publishes nothing secret on lru-cache’s diagnostics channel', async () => {
    const published: string[] = [];
    const listener = (message: unknown): void => {
      published.push(inspect(message, { depth: 8, showHidden: true }));
    };
    subscribe('lru-cache:metrics', listener);
    try {
      const provider = track(providerFor(emulator));
      const token = await provider.getToken();
      await provider.getToken(host('210987654321'));
      await provider.getToken({ public: true });
      expect(published.length).toBeGreaterThan(0);
      // Negative control: the channel does carry the cached values (registry names show up)…
      expect(published.some((text) => text.includes(token.registry))).toBe(true);
      // …but never a password.
      for (const password of emulator.issuedPasswords()) {
        expect(published.some((text) => text.includes(password))).toBe(false);
      }
    } finally {
      unsubscribe('lru-cache:metrics', listener);
    }
  });

  it('uses a client the caller hands in, and refuses one for another region', async () => {
    const { ECRClient } = await import('@aws-sdk/client-ecr');
    const client = new ECRClient({ region: 'eu-west-1', endpoint: emulator.url, credentials: emulatorCredentials(emulator), maxAttempts: 1 });
    try {
      const provider = track(new EcrTokenProvider({ client, retry: { retries: 0 } }));
      const token = await provider.getToken(host('123456789012', 'eu-west-1'));
      expect(token.region).toBe('eu-west-1');
      expect(privateCalls(emulator)).toBe(1);
      const error = await rejection(provider.getToken(host('123456789012', 'us-west-2')));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(error.message).toMatch(/eu-west-1.*us-west-2/);
      expect(privateCalls(emulator)).toBe(1);
      const destroy = vi.spyOn(client, 'destroy');
      await provider.close();
      // close() leaves a caller's own client alone (config.region() would answer even after destroy()).
      expect(destroy).not.toHaveBeenCalled();
      destroy.mockRestore();
    } finally {
      client.destroy();
    }
  });

  it('takes a credentials provider function, called lazily', async () => {
    let calls = 0;
    const provider = track(
      providerFor(emulator, {
        credentials: async () => {
          calls += 1;
          return emulatorCredentials(emulator);
        },
      }),
    );
    expect(calls).toBe(0);
    await provider.getToken();
    expect(calls).toBeGreaterThan(0);
  });

  it('logs what it does through the given logger, without secrets', async () => {
    const lines: string[] = [];
    const provider = track(providerFor(emulator, { logger: { debug: (line) => lines.push(line), info: (line) => lines.push(line), warn: (line) => lines.push(line) } }));
    emulator.injectFault({ kind: 'throttle', count: 1 });
    await provider.getToken();
    expect(lines.some((line) => /attempt 1 failed \(ThrottlingException\); retrying/.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('valid until'))).toBe(true);
    for (const password of emulator.issuedPasswords()) expect(lines.join('\n')).not.toContain(password);
  });

  it('rejects invalid options with typed errors', () => {
    expect(() => new EcrTokenProvider({ cache: { safetyMarginMs: -1 } })).toThrow(InvalidOptionError);
    expect(() => new EcrTokenProvider({ cache: { maxEntries: 0 } })).toThrow(/maxEntries/);
    expect(() => new EcrTokenProvider({ retry: { totalTimeoutMs: Number.NaN } })).toThrow(/totalTimeoutMs/);
  });

  it('asks for a region when it has none', async () => {
    const provider = track(new EcrTokenProvider({ endpoint: emulator.url, credentials: credentialsOf(emulator) }));
    const saved = { AWS_REGION: process.env['AWS_REGION'], AWS_DEFAULT_REGION: process.env['AWS_DEFAULT_REGION'], AWS_CONFIG_FILE: process.env['AWS_CONFIG_FILE'] };
    delete process.env['AWS_REGION'];
    delete process.env['AWS_DEFAULT_REGION'];
    process.env['AWS_CONFIG_FILE'] = '/nonexistent/ecr-auth-test-config';
    try {
      const error = await rejection(provider.getToken());
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(error.message).toContain('AWS_REGION');
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
