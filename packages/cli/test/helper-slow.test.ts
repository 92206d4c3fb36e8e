// The credential helper's slow path in-process, against the emulator over HTTP: the answer of a cache miss, its
// failures (one line, the stack only when debugging), its deadline and cooldown, and the background renewal.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '@ecr-auth/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { HELPER_TIMEOUT_MS, runBackgroundRefresh, runSlowGet, timeoutFrom } from '../src/helper-slow.ts';
import { cacheDir, cacheScope, readCachedToken, recordFailure, writeCachedToken } from '../src/token-cache.ts';
import { ECR_HOST, isolatedEnv } from './support.ts';

const MISS = 'credentials not found in native keychain\n';
const HOUR = 3_600_000;
const calls = (emulator: Emulator) => emulator.stats().requests['ecr:GetAuthorizationToken'] ?? 0;

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'ecr-auth-helper-slow-'));
  env = isolatedEnv(home, emulator);
});
afterEach(async () => {
  emulator.clearFaults();
  vi.restoreAllMocks();
  await rm(home, { recursive: true, force: true });
});

describe('timeoutFrom', () => {
  it('takes a positive number of ms, else the default', () => {
    expect(HELPER_TIMEOUT_MS).toBe(5_000);
    expect(timeoutFrom('250', 9)).toBe(250);
    expect(timeoutFrom('1.5', 9)).toBe(1.5);
    for (const value of [undefined, '', 'abc', '0', '-5', 'Infinity', 'NaN']) expect(timeoutFrom(value, 9), String(value)).toBe(9);
  });
});

describe('runSlowGet', () => {
  it('answers a miss with a fresh token, as asked, and caches it for the next get (unless the cache is off)', async () => {
    const before = calls(emulator);
    const serverUrl = `https://${ECR_HOST}/v2/`;
    const result = await runSlowGet({ serverUrl, host: ECR_HOST }, env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const answer = JSON.parse(result.stdout) as { ServerURL: string; Username: string; Secret: string };
    expect(result.stdout).toBe(`${JSON.stringify({ ServerURL: serverUrl, Username: 'AWS', Secret: answer.Secret })}\n`);
    expect(emulator.issuedPasswords()).toContain(answer.Secret);
    expect(readCachedToken(cacheDir(env), cacheScope({ kind: 'private', region: 'us-east-1' }, env))?.password).toBe(answer.Secret);
    expect((await runSlowGet({ serverUrl: ECR_HOST, host: ECR_HOST }, env)).stdout).toContain(answer.Secret);
    expect(calls(emulator) - before).toBe(1);
    await runSlowGet({ serverUrl: ECR_HOST, host: ECR_HOST }, { ...env, ECR_AUTH_NO_CACHE: '1' });
    expect(calls(emulator) - before).toBe(2);
  });

  it('a failure: the not-found answer and the error\'s first line; the stack only with ECR_AUTH_DEBUG', async () => {
    const quiet = await runSlowGet({ serverUrl: 'ghcr.io', host: 'ghcr.io' }, env);
    expect(quiet.stdout).toBe(MISS);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toMatch(/^ecr-auth: "ghcr\.io" is not an ECR registry host [^\n]*\n$/);
    for (const flag of ['1', 'true']) {
      vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const debug = await runSlowGet({ serverUrl: 'ghcr.io', host: 'ghcr.io' }, { ...env, ECR_AUTH_DEBUG: flag });
      expect(debug.stderr.startsWith(quiet.stderr), flag).toBe(true);
      expect(debug.stderr, flag).toMatch(/\n {4}at .+\n$/);
      vi.restoreAllMocks();
    }
    expect((await runSlowGet({ serverUrl: 'ghcr.io', host: 'ghcr.io' }, { ...env, ECR_AUTH_DEBUG: '0' })).stderr).toBe(quiet.stderr);
  });

  it('debug lines go to stderr only with ECR_AUTH_DEBUG', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await runSlowGet({ serverUrl: ECR_HOST, host: ECR_HOST }, { ...env, ECR_AUTH_NO_CACHE: '1' });
    expect(write).not.toHaveBeenCalled();
    await runSlowGet({ serverUrl: ECR_HOST, host: ECR_HOST }, { ...env, ECR_AUTH_NO_CACHE: '1', ECR_AUTH_DEBUG: '1' });
    expect(write).toHaveBeenCalled();
    expect(write.mock.calls.every(([line]) => String(line).endsWith('\n'))).toBe(true);
  });

  it('ends within ECR_AUTH_TIMEOUT_MS when ECR is slow', async () => {
    emulator.injectFault({ kind: 'delay', ms: 4_000 });
    const started = Date.now();
    const result = await runSlowGet({ serverUrl: ECR_HOST, host: ECR_HOST }, { ...env, ECR_AUTH_TIMEOUT_MS: '500' });
    expect(result.stdout).toBe(MISS);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('does not ask ECR while a failure recorded by any process cools down', async () => {
    const before = calls(emulator);
    recordFailure(cacheDir(env), cacheScope({ kind: 'private', region: 'us-east-1' }, env), 'ecr-auth: throttled');
    const result = await runSlowGet({ serverUrl: ECR_HOST, host: ECR_HOST }, env);
    expect(result.stdout).toBe(MISS);
    expect(result.stderr).toMatch(/not asking ECR again before/);
    expect(calls(emulator) - before).toBe(0);
  });
});

describe('closing what it opened', () => {
  const sockets = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
  it('leaves no connection open after a get or a renewal (the SDK client is closed)', async () => {
    await settle();
    const before = sockets();
    await runSlowGet({ serverUrl: ECR_HOST, host: ECR_HOST }, { ...env, ECR_AUTH_NO_CACHE: '1' });
    await settle();
    expect(sockets()).toBe(before);
    await runBackgroundRefresh(ECR_HOST, { ...env, ECR_AUTH_NO_CACHE: '1' });
    await settle();
    expect(sockets()).toBe(before);
  });
});

describe('runBackgroundRefresh', () => {
  it('renews the cached token silently; a failure is swallowed', async () => {
    const scope = cacheScope({ kind: 'private', region: 'us-east-1' }, env);
    const now = Date.now();
    writeCachedToken(cacheDir(env), scope, { username: 'AWS', password: 'old-but-valid', registry: ECR_HOST, region: 'us-east-1', accountId: '123456789012', kind: 'private', fetchedAt: now - 11.6 * HOUR, expiresAt: now + 20 * 60_000, clockOffsetMs: 0 });
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const before = calls(emulator);
    await runBackgroundRefresh(ECR_HOST, env);
    expect(calls(emulator) - before).toBe(1);
    const renewed = readCachedToken(cacheDir(env), scope)?.password;
    expect(renewed).not.toBe('old-but-valid');
    expect(emulator.issuedPasswords()).toContain(renewed);
    await expect(runBackgroundRefresh('ghcr.io', env)).resolves.toBeUndefined();
    expect(out).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
  });
});
