// The provider's decisions that mutation testing showed unobserved (docs/quality.md): the hot path's guard
// and freshness check, refresh-ahead, the failure cooldown, a token that arrives expired, the sign of the
// server-clock offset, and close() leaving the caller's clients alone. Real SDK over real HTTP to the
// emulator; short-lived tokens on a clock the tests move forward (only Date is faked: the HTTP calls, retries and
// timeouts stay real), and no assertion on how long anything took.
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import type { Emulator, EmulatorOptions } from '@ecr-auth/emulator';
import { AbortedError, EcrApiError, EcrTokenProvider, TokenExpiredError, type EcrAuthLogger, type EcrTokenProviderOptions } from 'ecr-auth';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emulatorCredentials, providerFor, startTestEmulator } from '../../../test-support/emulator.ts';
import { recordError } from '../../../test-support/leaks.ts';
import { frozenClock } from './fixtures/clock.ts';
import { DirectEcrClient } from '../src/direct-client.ts';

const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const calls = (emulator: Emulator): number => emulator.stats().requests['ecr:GetAuthorizationToken'] ?? 0;

let emulators: Emulator[] = [];
let providers: EcrTokenProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.map((provider) => provider.close()));
  await Promise.all(emulators.map((emulator) => emulator.stop()));
  providers = [];
  emulators = [];
  vi.restoreAllMocks();
});

async function emulatorWith(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startTestEmulator(options);
  emulators.push(emulator);
  return emulator;
}

/** A provider whose debug lines are kept: "refreshing ahead of expiry" shows a background refresh started. */
function recordingProvider(emulator: Emulator, options: EcrTokenProviderOptions = {}): { provider: EcrTokenProvider; lines: string[] } {
  const lines: string[] = [];
  const keep = (message: unknown): void => void lines.push(String(message));
  const logger: EcrAuthLogger = { debug: keep, info: keep, warn: keep, error: keep };
  const provider = providerFor(emulator, { logger, ...options });
  providers.push(provider);
  return { provider, lines };
}
const refreshes = (lines: string[]): number => lines.filter((line) => line.includes('refreshing ahead of expiry')).length;

/** How many microtask turns a promise takes to settle (no timers involved). */
async function turnsToSettle(promise: Promise<unknown>): Promise<number> {
  let settled = false;
  void promise.then(() => (settled = true));
  for (let turn = 0; turn < 100; turn++) {
    if (settled) return turn;
    await Promise.resolve();
  }
  return Number.POSITIVE_INFINITY;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    recordError(error);
    return error;
  }
  throw new Error('expected a rejection');
}

describe('the synchronous hot path (a registry string seen before)', () => {
  it('does not answer forceRefresh from the cache', async () => {
    const emulator = await emulatorWith();
    const { provider } = recordingProvider(emulator);
    const first = await provider.getToken(HOST);
    // Negative control: the warm string is served from the cache.
    expect(await provider.getToken(HOST)).toBe(first);
    expect(calls(emulator)).toBe(1);
    const forced = await provider.getToken(HOST, { forceRefresh: true });
    expect(calls(emulator)).toBe(2);
    expect(forced.revealPassword()).not.toBe(first.revealPassword());
  });

  it('does not answer an already-aborted signal from the cache', async () => {
    const emulator = await emulatorWith();
    const { provider } = recordingProvider(emulator);
    const first = await provider.getToken(HOST);
    // Negative control: a live signal on the warm string gets the cached token.
    expect(await provider.getToken(HOST, { signal: new AbortController().signal })).toBe(first);
    const error = await rejection(provider.getToken(HOST, { signal: AbortSignal.abort(new Error('caller gave up')) }));
    expect(error).toBeInstanceOf(AbortedError);
    expect(calls(emulator)).toBe(1);
  });

  it('answers a warm registry string without awaiting anything (within one microtask turn)', async () => {
    const emulator = await emulatorWith();
    const { provider } = recordingProvider(emulator);
    const first = await provider.getToken(HOST);
    await provider.getToken({ registry: HOST });
    // Negative control: the same cached token asked for as an object takes the asynchronous path.
    expect(await turnsToSettle(provider.getToken({ registry: HOST }))).toBeGreaterThan(1);
    expect(await turnsToSettle(provider.getToken(HOST))).toBeLessThanOrEqual(1);
    expect(await provider.getToken(HOST)).toBe(first);
    expect(calls(emulator)).toBe(1);
  });

  it('checks freshness on repeat calls once time has passed, and starts a refresh', async () => {
    // 2 s tokens: refresh-ahead is capped at half the lifetime, so the token is stale after 1 s and still
    // usable until the quarter-lifetime safety margin (1.5 s).
    const emulator = await emulatorWith({ tokenTtlSeconds: 2 });
    const { provider, lines } = recordingProvider(emulator);
    const clock = frozenClock();
    const first = await provider.getToken(HOST);
    expect(await provider.getToken(HOST)).toBe(first);
    clock.advance(950);
    // Negative control: just before the refresh window, still the cached token and no refresh.
    expect(await provider.getToken(HOST)).toBe(first);
    expect(refreshes(lines)).toBe(0);
    clock.advance(100);
    // Still inside the usable window: the valid token is served, and a background refresh has started.
    expect(await provider.getToken(HOST)).toBe(first);
    expect(refreshes(lines)).toBe(1);
    await vi.waitFor(() => expect(calls(emulator)).toBe(2), { timeout: 5_000 });
    const next = await provider.getToken(HOST);
    expect(next.revealPassword()).not.toBe(first.revealPassword());
  });
});

describe('refresh ahead of expiry', () => {
  it('refreshes in the background inside the refresh window, and not with refresh-ahead off', async () => {
    const emulator = await emulatorWith({ tokenTtlSeconds: 2 });
    const { provider, lines } = recordingProvider(emulator);
    // Negative control: the same window with refresh-ahead switched off starts nothing.
    const { provider: lazy, lines: lazyLines } = recordingProvider(emulator, { cache: { refreshAheadMs: 0 } });
    const clock = frozenClock();
    const first = await provider.getToken();
    const lazyFirst = await lazy.getToken();
    expect(calls(emulator)).toBe(2);
    clock.advance(1_050);
    expect(await provider.getToken()).toBe(first);
    expect(await lazy.getToken()).toBe(lazyFirst);
    expect(refreshes(lines)).toBe(1);
    expect(refreshes(lazyLines)).toBe(0);
    // The refresh was made while the old token was still served; the next call gets its result.
    await vi.waitFor(() => expect(calls(emulator)).toBe(3), { timeout: 5_000 });
    const refreshed = await provider.getToken();
    expect(refreshed.revealPassword()).not.toBe(first.revealPassword());
    expect(refreshed.expiresAt.getTime()).toBeGreaterThan(first.expiresAt.getTime());
    expect(calls(emulator)).toBe(3);
  });

  it('keeps serving the valid token when the background refresh fails, without a call per request', async () => {
    const emulator = await emulatorWith({ tokenTtlSeconds: 2 });
    const { provider, lines } = recordingProvider(emulator, { retry: { retries: 0 }, cache: { failureCooldownMs: 60_000 } });
    const clock = frozenClock();
    const first = await provider.getToken();
    emulator.injectFault({ kind: 'server-error', count: 1_000 });
    clock.advance(1_050);
    expect(await provider.getToken()).toBe(first);
    await vi.waitFor(() => expect(calls(emulator)).toBe(2), { timeout: 5_000 });
    await vi.waitFor(() => expect(lines.some((line) => line.includes('next attempt in 60 s'))).toBe(true), { timeout: 5_000 });
    // Inside the cooldown: the valid token, and no further call.
    for (let i = 0; i < 5; i++) expect(await provider.getToken()).toBe(first);
    expect(calls(emulator)).toBe(2);
    expect(refreshes(lines)).toBe(1);
  });
});

describe('the failure cooldown', () => {
  it('answers from the last error during the cooldown, and calls again after it, with a doubled cooldown', async () => {
    const emulator = await emulatorWith();
    const { provider, lines } = recordingProvider(emulator, { retry: { retries: 0 }, cache: { failureCooldownMs: 600, maxFailureCooldownMs: 60_000 } });
    const clock = frozenClock();
    emulator.injectFault({ kind: 'server-error', count: 1_000 });
    const first = await rejection(provider.getToken());
    expect(first).toBeInstanceOf(EcrApiError);
    expect(calls(emulator)).toBe(1);
    // Within the cooldown: the same error, no call.
    expect(await rejection(provider.getToken())).toBe(first);
    expect(calls(emulator)).toBe(1);
    expect(lines.some((line) => line.includes('next attempt in 1 s'))).toBe(true);
    // Negative control: forceRefresh skips the cooldown.
    expect(await rejection(provider.getToken(undefined, { forceRefresh: true }))).toBeInstanceOf(EcrApiError);
    expect(calls(emulator)).toBe(2);
    // Two failures in a row: the cooldown doubles to 1.2 s, so 0.8 s later (past the first one's 0.6 s) it
    // still holds; 1.6 s later it is over.
    clock.advance(800);
    expect(await rejection(provider.getToken())).toBeInstanceOf(EcrApiError);
    expect(calls(emulator)).toBe(2);
    clock.advance(800);
    emulator.clearFaults();
    const token = await provider.getToken();
    expect(emulator.issuedPasswords()).toContain(token.revealPassword());
    expect(calls(emulator)).toBe(3);
  });

  it('caps the cooldown at maxFailureCooldownMs', async () => {
    const emulator = await emulatorWith();
    const { provider, lines } = recordingProvider(emulator, { retry: { retries: 0 }, cache: { failureCooldownMs: 4_000, maxFailureCooldownMs: 10_000 } });
    emulator.injectFault({ kind: 'server-error', count: 1_000 });
    for (let i = 0; i < 3; i++) await rejection(provider.getToken(undefined, { forceRefresh: true }));
    const waits = lines.filter((line) => line.includes('next attempt in')).map((line) => /next attempt in (\d+) s/.exec(line)?.[1]);
    expect(waits).toEqual(['4', '8', '10']);
  });
});

describe('expiry as ECR reports it', () => {
  it('refuses a token that arrives already expired', async () => {
    // A server answering as ECR would, with a token that expired a minute ago (the emulator only issues
    // tokens with a positive lifetime).
    const expired = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        const authorizationToken = Buffer.from('AWS:expired-on-arrival').toString('base64');
        response.end(JSON.stringify({ authorizationData: [{ authorizationToken, expiresAt: (Date.now() - 60_000) / 1000, proxyEndpoint: `https://${HOST}` }] }));
      });
    });
    await new Promise<void>((resolve) => expired.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(expired.address() as AddressInfo).port}`;
      const emulator = await emulatorWith();
      const { provider } = recordingProvider(emulator, { endpoint, retry: { retries: 0 } });
      const error = await rejection(provider.getToken());
      expect(error).toBeInstanceOf(TokenExpiredError);
      // And it is not cached: the next call asks again (and is refused again).
      expect(await rejection(provider.getToken(undefined, { forceRefresh: true }))).toBeInstanceOf(TokenExpiredError);
      // Negative control: the same provider setup against the emulator's tokens gets one.
      const token = await recordingProvider(emulator).provider.getToken();
      expect(token.remainingMs()).toBeGreaterThan(3_600_000);
    } finally {
      await new Promise<void>((resolve) => expired.close(() => resolve()));
    }
  });

  it('judges expiry on the server clock when the server is behind (the offset’s sign matters)', async () => {
    // The emulator runs an hour behind; its 90-minute tokens expire at our now + 90 min. Taking the offset
    // with the wrong sign would judge them expired (now + 1 h > now - 1 h + 90 min - margins).
    const emulator = await emulatorWith({ clockOffsetSeconds: -3_600, tokenTtlSeconds: 5_400 });
    const { provider, lines } = recordingProvider(emulator);
    const token = await provider.getToken();
    // (The SDK's first attempt may be refused for clock skew and repeated with the corrected clock.)
    const fetched = calls(emulator);
    expect(Math.abs(token.expiresAt.getTime() - (emulator.now() + 5_400_000))).toBeLessThan(10_000);
    // Fresh on the server clock: served from the cache with no refresh (freshUntil = local time of expiry
    // less refresh-ahead, which is an hour out; with the sign wrong it would already have passed).
    expect(await provider.getToken()).toBe(token);
    expect(await provider.getToken(HOST)).toBe(token);
    expect(refreshes(lines)).toBe(0);
    expect(calls(emulator)).toBe(fetched);
  });

  it('judges expiry on the server clock when the server is ahead', async () => {
    // An hour ahead with 90-minute tokens: 90 minutes left on either clock once the offset is applied.
    const emulator = await emulatorWith({ clockOffsetSeconds: 3_600, tokenTtlSeconds: 5_400 });
    const { provider, lines } = recordingProvider(emulator);
    const token = await provider.getToken();
    const fetched = calls(emulator);
    expect(await provider.getToken()).toBe(token);
    expect(refreshes(lines)).toBe(0);
    expect(calls(emulator)).toBe(fetched);
  });
});

describe('close()', () => {
  it('does not destroy the clients the caller handed in, and destroys its own', async () => {
    const emulator = await emulatorWith();
    const credentials = emulatorCredentials(emulator);
    const client = new ECRClient({ region: 'us-east-1', endpoint: emulator.url, credentials, maxAttempts: 1 });
    const publicClient = new ECRPUBLICClient({ region: 'us-east-1', endpoint: emulator.url, credentials, maxAttempts: 1 });
    const destroyOwn = vi.spyOn(client, 'destroy');
    const destroyOwnPublic = vi.spyOn(publicClient, 'destroy');
    try {
      const provider = new EcrTokenProvider({ client, publicClient, retry: { retries: 0 } });
      await provider.getToken(HOST);
      await provider.getToken({ public: true });
      await provider.close();
      expect(destroyOwn).not.toHaveBeenCalled();
      expect(destroyOwnPublic).not.toHaveBeenCalled();
      // Negative control: the clients a provider creates itself are destroyed.
      // (ecr-auth's own client for static credentials, an SDK client for ECR Public.)
      const destroyCreated = vi.spyOn(DirectEcrClient.prototype, 'destroy');
      const destroyCreatedPublic = vi.spyOn(ECRPUBLICClient.prototype, 'destroy');
      const own = providerFor(emulator);
      await own.getToken(HOST);
      await own.getToken({ public: true });
      await own.close();
      expect(destroyCreated).toHaveBeenCalledTimes(1);
      expect(destroyCreatedPublic).toHaveBeenCalledTimes(1);
    } finally {
      vi.restoreAllMocks();
      client.destroy();
      publicClient.destroy();
    }
  });
});
