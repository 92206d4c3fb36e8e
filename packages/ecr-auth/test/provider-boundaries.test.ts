// The provider's time boundaries, to the millisecond, on a clock the test moves (only Date is faked; the HTTP
// calls to the emulator are real): a token is refreshed from exactly its fresh-until time, and a failed entry is
// called again from exactly the end of its cooldown. Also the registry-string memo's size limit, the cache
// options' checks, and close() while work is in flight.
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import type { Emulator, EmulatorOptions } from '@ecr-auth/emulator';
import { AbortedError, EcrTokenProvider, InvalidOptionError, type EcrAuthLogger, type EcrTokenProviderOptions } from 'ecr-auth';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emulatorCredentials, providerFor, startTestEmulator } from '../../../test-support/emulator.ts';
import { recordError } from '../../../test-support/leaks.ts';
import { frozenClock, until } from './fixtures/clock.ts';

const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const calls = (emulator: Emulator): number => emulator.stats().requests['ecr:GetAuthorizationToken'] ?? 0;

let emulators: Emulator[] = [];
let providers: EcrTokenProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.map((provider) => provider.close()));
  await Promise.all(emulators.map((emulator) => emulator.stop()));
  providers = [];
  emulators = [];
});

async function emulatorWith(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startTestEmulator(options);
  emulators.push(emulator);
  return emulator;
}
function recordingProvider(emulator: Emulator, options: EcrTokenProviderOptions = {}): { provider: EcrTokenProvider; lines: string[] } {
  const lines: string[] = [];
  const keep = (message: unknown): void => void lines.push(String(message));
  const logger: EcrAuthLogger = { debug: keep, info: keep, warn: keep, error: keep };
  const provider = providerFor(emulator, { logger, ...options });
  providers.push(provider);
  return { provider, lines };
}
const refreshes = (lines: string[]): number => lines.filter((line) => line.includes('refreshing ahead of expiry')).length;
const failures = (lines: string[]): number => lines.filter((line) => line.includes('next attempt in')).length;
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    recordError(error);
    return error;
  }
  throw new Error('expected a rejection');
}
async function turnsToSettle(promise: Promise<unknown>): Promise<number> {
  let settled = false;
  void promise.then(() => (settled = true));
  for (let turn = 0; turn < 100; turn++) {
    if (settled) return turn;
    await Promise.resolve();
  }
  return Number.POSITIVE_INFINITY;
}

describe('refresh from exactly the fresh-until time', () => {
  it('serves a 2 s token from the cache for 999 ms, and refreshes it at 1000 ms (half its lifetime)', async () => {
    const emulator = await emulatorWith({ tokenTtlSeconds: 2 });
    const { provider, lines } = recordingProvider(emulator);
    const clock = frozenClock();
    const first = await provider.getToken(HOST);
    clock.advance(999);
    expect(await provider.getToken(HOST)).toBe(first);
    expect(await provider.getToken()).toBe(first);
    expect(refreshes(lines)).toBe(0);
    clock.advance(1);
    expect(await provider.getToken(HOST)).toBe(first);
    expect(refreshes(lines)).toBe(1);
    await until(() => calls(emulator) === 2);
  });
});

describe('the end of a cooldown, to the millisecond', () => {
  it('a failed background refresh is tried again from exactly the end of its cooldown', async () => {
    const emulator = await emulatorWith({ tokenTtlSeconds: 2 });
    const { provider, lines } = recordingProvider(emulator, { retry: { retries: 0 }, cache: { failureCooldownMs: 100 } });
    const clock = frozenClock();
    const first = await provider.getToken();
    emulator.injectFault({ kind: 'server-error', count: 1_000 });
    clock.advance(1_000);
    expect(await provider.getToken()).toBe(first);
    await until(() => failures(lines) === 1);
    clock.advance(99);
    expect(await provider.getToken()).toBe(first);
    expect(refreshes(lines)).toBe(1);
    clock.advance(1);
    expect(await provider.getToken()).toBe(first);
    expect(refreshes(lines)).toBe(2);
    await until(() => failures(lines) === 2);
    expect(calls(emulator)).toBe(3);
  });

  it('a failed first fetch answers its error until exactly the end of its cooldown, then calls again', async () => {
    const emulator = await emulatorWith();
    const { provider } = recordingProvider(emulator, { retry: { retries: 0 }, cache: { failureCooldownMs: 100 } });
    const clock = frozenClock();
    emulator.injectFault({ kind: 'server-error', count: 1_000 });
    const error = await rejection(provider.getToken());
    expect(calls(emulator)).toBe(1);
    clock.advance(99);
    expect(await rejection(provider.getToken())).toBe(error);
    expect(calls(emulator)).toBe(1);
    clock.advance(1);
    emulator.clearFaults();
    const token = await provider.getToken();
    expect(emulator.issuedPasswords()).toContain(token.revealPassword());
    expect(calls(emulator)).toBe(2);
  });
});

describe('the memo of registry strings (the synchronous hot path)', () => {
  const hostOf = (i: number) => `${100_000_000_000 + i}.dkr.ecr.us-east-1.amazonaws.com`;

  it('keeps several strings warm at once', async () => {
    const emulator = await emulatorWith();
    const { provider } = recordingProvider(emulator);
    await provider.getToken(hostOf(1));
    await provider.getToken(hostOf(2));
    expect(await turnsToSettle(provider.getToken(hostOf(1)))).toBeLessThanOrEqual(1);
    expect(await turnsToSettle(provider.getToken(hostOf(2)))).toBeLessThanOrEqual(1);
  });

  it('forgets every string when the 257th arrives (256 are kept)', async () => {
    const emulator = await emulatorWith();
    const { provider } = recordingProvider(emulator);
    for (let i = 0; i < 256; i++) await provider.getToken(hostOf(i));
    // 256 strings remembered: the first is still answered synchronously.
    expect(await turnsToSettle(provider.getToken(hostOf(0)))).toBeLessThanOrEqual(1);
    await provider.getToken(hostOf(256));
    expect(await turnsToSettle(provider.getToken(hostOf(0)))).toBeGreaterThan(1);
    // Placed again, it is remembered again; one API call served all of them.
    expect(await turnsToSettle(provider.getToken(hostOf(0)))).toBeLessThanOrEqual(1);
    expect(calls(emulator)).toBe(1);
  });
});

describe('cache options', () => {
  it('accepts a cache of one entry, and refuses fewer or fractions, saying what it got', () => {
    expect(new EcrTokenProvider({ cache: { maxEntries: 1 } })).toBeInstanceOf(EcrTokenProvider);
    expect(() => new EcrTokenProvider({ cache: { maxEntries: 0 } })).toThrow(new InvalidOptionError('cache.maxEntries must be a whole number >= 1, got 0'));
    expect(() => new EcrTokenProvider({ cache: { maxEntries: 1.5 } })).toThrow(new InvalidOptionError('cache.maxEntries must be a whole number >= 1, got 1.5'));
  });

  it('refuses a negative or infinite duration, naming the option', () => {
    expect(() => new EcrTokenProvider({ cache: { safetyMarginMs: -1 } })).toThrow(new InvalidOptionError('cache.safetyMarginMs must be a finite number of milliseconds >= 0, got -1'));
    expect(() => new EcrTokenProvider({ cache: { failureCooldownMs: Infinity } })).toThrow(/^ecr-auth: cache\.failureCooldownMs must be/);
    expect(() => new EcrTokenProvider({ retry: { attemptTimeoutMs: -5 } })).toThrow(new InvalidOptionError('retry.attemptTimeoutMs must be a finite number of milliseconds >= 0, got -5'));
    expect(new EcrTokenProvider({ cache: { safetyMarginMs: 0, refreshAheadMs: 0 } })).toBeInstanceOf(EcrTokenProvider);
  });

  it('keeps only maxEntries regions: the least recently used is fetched again', async () => {
    const emulator = await emulatorWith();
    const { provider } = recordingProvider(emulator, { cache: { maxEntries: 1 } });
    const east = await provider.getToken({ region: 'us-east-1' });
    expect(await provider.getToken({ region: 'us-east-1' })).toBe(east);
    await provider.getToken({ region: 'eu-west-1' });
    expect(calls(emulator)).toBe(2);
    expect(await provider.getToken({ region: 'us-east-1' })).not.toBe(east);
    expect(calls(emulator)).toBe(3);
  });
});

describe('close() while work is in flight', () => {
  it('ends a fetch in flight with AbortedError, whose cause says the provider was closed', async () => {
    const emulator = await emulatorWith();
    const { provider } = recordingProvider(emulator, { retry: { retries: 0 } });
    emulator.injectFault({ kind: 'delay', count: 1, ms: 2_000 });
    const pending = rejection(provider.getToken());
    await vi.waitFor(() => expect(emulator.stats().requests['ecr:GetAuthorizationToken'] ?? 0).toBe(1));
    await provider.close();
    const error = await pending;
    expect(error).toBeInstanceOf(AbortedError);
    expect(((error as AbortedError).cause as Error).message).toBe('EcrTokenProvider closed');
  });

  it('resolves while a client the caller handed in is still being checked, and when that check fails', async () => {
    const emulator = await emulatorWith();
    const client = new ECRClient({ region: 'eu-west-1', endpoint: emulator.url, credentials: emulatorCredentials(emulator), maxAttempts: 1 });
    const publicClient = new ECRPUBLICClient({ region: 'us-east-1', endpoint: emulator.url, credentials: emulatorCredentials(emulator), maxAttempts: 1 });
    // A slow region lookup keeps the check pending while close() runs.
    let checking = false;
    client.config.region = () => ((checking = true), new Promise((resolve) => setTimeout(() => resolve('eu-west-1'), 300)));
    try {
      // Both own clients given: nothing of the caller's may be destroyed, and a failed check leaves nothing to destroy.
      const provider = new EcrTokenProvider({ client, publicClient, retry: { retries: 0 } });
      const pending = rejection(provider.getToken('123456789012.dkr.ecr.us-west-2.amazonaws.com'));
      await until(() => checking);
      await expect(provider.close()).resolves.toBeUndefined();
      expect(await pending).toBeInstanceOf(InvalidOptionError);
    } finally {
      client.destroy();
      publicClient.destroy();
    }
  });
});
