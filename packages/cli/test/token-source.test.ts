// The CLI's TokenSource in-process, against the emulator over HTTP: which registry and region a name stands
// for (resolveTarget), which cache scope serves it, and every decision of get(): a fresh cached token, a
// renewal inside the refresh window, an expired one, the failure cooldown, the fetch lock shared with other
// processes, the fallback to a still-valid token, and where each token is addressed. The executables' tests
// (ecr-auth-cli, credential-helper, …) show the same through child processes, which mutation testing cannot
// see into. Time is moved by a frozen Date (timers and sockets stay real) rather than by sleeping.
import { chmod, mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tryAcquireLock } from '@ecr-auth/auth-file';
import type { Emulator, EmulatorRequestEvent } from '@ecr-auth/emulator';
import { AbortedError, AccessDeniedError, AuthorizationToken, CredentialsError, EcrAuthError, NetworkError } from 'ecr-auth';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { lockSeams } from '../../auth-file/src/lock-file.ts';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { UsageError } from '../src/exit-codes.ts';
import { TargetError } from '../src/registry-rule.ts';
import { cacheFileName, cacheScope, ensureCacheDir, fetchLockPath, readCachedToken, readCooldown, recordFailure, writeCachedToken, type CachedToken, type CacheScope, type Env } from '../src/token-cache.ts';
import { CooldownError, resolveTarget, scopeOf, TokenSource, type TokenSourceOptions, type TokenTarget } from '../src/token-source.ts';
import { ECR_HOST, isolatedEnv } from './support.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const OTHER_ACCOUNT_HOST = '210987654321.dkr.ecr.us-east-1.amazonaws.com';
const EU_HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/ecr-pull';
const BASE = { accessKeyId: 'AKIABASEEXAMPLE00001', secretAccessKey: 'base-secret-access-key' };
const PROFILE_KEY = { accessKeyId: 'AKIAPROFILEEXAMPLE01', secretAccessKey: 'profile-secret-access-key' };
const SESSION_KEY = { accessKeyId: 'ASIASESSIONEXAMPLE01', secretAccessKey: 'session-secret-access-key', sessionToken: 'session-token-of-the-test' };

let emulator: Emulator;
/** A second emulator, for what must reach one endpoint and not the other. */
let second: Emulator;
const events: EmulatorRequestEvent[] = [];
/** Runs (synchronously) when the emulator has answered a request, before the client reads the answer. */
let onAnswer: ((event: EmulatorRequestEvent) => void) | undefined;
const calls = (e: Emulator = emulator) => e.stats().requests['ecr:GetAuthorizationToken'] ?? 0;
const publicCalls = (e: Emulator = emulator) => e.stats().requests['ecr-public:GetAuthorizationToken'] ?? 0;

beforeAll(async () => {
  emulator = await startTestEmulator({
    credentials: [BASE, PROFILE_KEY, SESSION_KEY],
    roles: [ROLE_ARN],
    onRequest: (event) => {
      events.push(event);
      onAnswer?.(event);
    },
  });
  second = await startTestEmulator({ credentials: [BASE] });
});
afterAll(async () => {
  await emulator.stop();
  await second.stop();
});

let home: string;
let env: Env;
let dir: string;
const sources: TokenSource[] = [];
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'ecr-auth-token-source-'));
  env = isolatedEnv(home, emulator);
  dir = join(home, 'cache');
  emulator.reset();
  second.reset();
  events.length = 0;
});
const realLink = lockSeams.link;
/** Runs `action` once, just before the next lock is linked into place (between our cache read and our lock). */
function beforeNextLink(action: () => void): void {
  lockSeams.link = (existing, path) => {
    lockSeams.link = realLink;
    action();
    realLink(existing, path);
  };
}
afterEach(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  onAnswer = undefined;
  lockSeams.link = realLink;
  emulator.clearFaults();
  emulator.setClockOffset(0);
  await Promise.all(sources.splice(0).map((s) => s.close()));
  await rm(home, { recursive: true, force: true });
});

function source(options: Partial<TokenSourceOptions> = {}): TokenSource {
  const s = new TokenSource({ cacheDir: dir, timeoutMs: 5_000, env, ...options });
  sources.push(s);
  return s;
}
const target = (input?: string, config = {}, flags = {}, e: Env = env): TokenTarget => resolveTarget(input, config, flags, e);
const scope = (region = 'us-east-1', kind: 'private' | 'public' = 'private'): CacheScope => cacheScope({ kind, region }, env);

/** Plants a cached token with `remainingMs` to live (12 h tokens: renew in the last 30 min, never in the last 5). */
function plant(remainingMs: number, options: { password?: string; region?: string; registry?: string; clockOffsetMs?: number; fetchedAt?: number } = {}): CachedToken {
  const now = Date.now();
  const region = options.region ?? 'us-east-1';
  const record = {
    username: 'AWS',
    password: options.password ?? 'planted-password',
    registry: options.registry ?? (region === 'us-east-1' ? ECR_HOST : `123456789012.dkr.ecr.${region}.amazonaws.com`),
    region,
    accountId: '123456789012',
    kind: 'private' as const,
    fetchedAt: options.fetchedAt ?? now + remainingMs - 12 * HOUR,
    expiresAt: now + remainingMs,
    clockOffsetMs: options.clockOffsetMs ?? 0,
  };
  writeCachedToken(dir, scope(region), record);
  const read = readCachedToken(dir, scope(region));
  if (!read) throw new Error('the planted token does not read back');
  return read;
}

/** Freezes Date at the current time; `advance(ms)` moves it (backwards too). Undone after each test. */
function frozenClock(): { advance: (ms: number) => void } {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  return { advance: (ms) => vi.setSystemTime(Date.now() + ms) };
}

/** Waits in real time (bounded) until `check` passes, without moving a frozen clock. */
async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('resolveTarget: the caller\'s own registry', () => {
  it('private in the region in force; nothing addressed (the token keeps the host ECR gives)', () => {
    expect(resolveTarget(undefined, {}, {}, { AWS_REGION: 'eu-west-1' })).toEqual({ host: undefined, input: undefined, kind: 'private', region: 'eu-west-1', accountId: undefined, custom: false, settings: {} });
    const config = { region: 'ap-south-1', accountId: '210987654321', profile: 'p', endpoint: 'http://127.0.0.1:1' };
    expect(resolveTarget(undefined, config, {}, { AWS_REGION: 'eu-west-1' })).toEqual({ host: undefined, input: undefined, kind: 'private', region: 'ap-south-1', accountId: '210987654321', custom: false, settings: config });
  });

  it('the region: the command line, the configuration file, AWS_REGION, AWS_DEFAULT_REGION, then the profile\'s', async () => {
    const region = (config: object, flags: object, e: Env) => resolveTarget(undefined, config, flags, e).region;
    expect(region({ region: 'ap-south-1' }, { region: 'sa-east-1' }, { AWS_REGION: 'eu-west-1' })).toBe('sa-east-1');
    expect(region({ region: 'ap-south-1' }, { region: undefined }, { AWS_REGION: 'eu-west-1' })).toBe('ap-south-1');
    expect(region({}, {}, { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-2' })).toBe('eu-west-1');
    expect(region({}, {}, { AWS_REGION: '', AWS_DEFAULT_REGION: 'eu-west-2' })).toBe('eu-west-2');
    const file = join(home, 'aws-config');
    await writeFile(file, '[default]\nregion = us-west-2\n[profile dev]\nregion = eu-north-1\n');
    expect(region({}, {}, { AWS_CONFIG_FILE: file, AWS_DEFAULT_REGION: '' })).toBe('us-west-2');
    expect(region({}, { profile: 'dev' }, { AWS_CONFIG_FILE: file })).toBe('eu-north-1');
    expect(region({ profile: 'dev' }, {}, { AWS_CONFIG_FILE: file })).toBe('eu-north-1');
    expect(region({}, { profile: 'dev' }, { AWS_CONFIG_FILE: file, AWS_DEFAULT_REGION: 'eu-west-2' })).toBe('eu-west-2');
    expect(region({}, {}, { AWS_CONFIG_FILE: join(home, 'none') })).toBeUndefined();
  });

  it('ECR Public: public.ecr.aws from us-east-1, whatever region is in force', () => {
    expect(resolveTarget(undefined, {}, { public: true, region: 'eu-west-1' }, { AWS_REGION: 'eu-west-2' })).toEqual({
      host: 'public.ecr.aws',
      input: undefined,
      kind: 'public',
      region: 'us-east-1',
      accountId: undefined,
      custom: false,
      settings: { public: true, region: 'eu-west-1' },
    });
    expect(resolveTarget(undefined, { public: true }, {}, {})).toMatchObject({ host: 'public.ecr.aws', kind: 'public', region: 'us-east-1' });
  });

  it('the command line wins setting by setting; a flag not given leaves the file\'s setting', () => {
    const config = { region: 'ap-south-1', profile: 'file-profile', endpoint: 'http://file.test', public: true };
    expect(resolveTarget(undefined, config, { region: undefined, profile: undefined, endpoint: undefined, public: undefined }, {}).settings).toEqual(config);
    const flags = { region: 'eu-west-1', profile: 'flag-profile', endpoint: 'http://flag.test', public: false };
    expect(resolveTarget(undefined, config, flags, {})).toEqual({ host: undefined, input: undefined, kind: 'private', region: 'eu-west-1', accountId: undefined, custom: false, settings: flags });
  });
});

describe('resolveTarget: a registry name', () => {
  it('an ECR host: its own region, account and variant; the settings say its region', () => {
    const config = { registries: { [ECR_HOST]: { profile: 'p' } } };
    expect(resolveTarget(`https://${ECR_HOST}/v2/`, config, {}, {})).toEqual({
      host: ECR_HOST,
      input: `https://${ECR_HOST}/v2/`,
      kind: 'private',
      region: 'us-east-1',
      accountId: '123456789012',
      custom: false,
      fips: false,
      dualStack: false,
      settings: { profile: 'p', region: 'us-east-1' },
    });
    expect(resolveTarget('123456789012.dkr.ecr-fips.us-east-1.amazonaws.com', {}, {}, {})).toMatchObject({ fips: true, dualStack: false, region: 'us-east-1' });
    expect(resolveTarget('123456789012.dkr-ecr.eu-west-1.on.aws', {}, {}, {})).toMatchObject({ fips: false, dualStack: true, region: 'eu-west-1' });
    expect(resolveTarget(ECR_HOST, config, { profile: 'q' }, {}).settings).toEqual({ profile: 'q', region: 'us-east-1' });
  });

  it('--region must match a private host\'s region (ECR Public has one region of its own)', () => {
    expect(() => resolveTarget(EU_HOST, {}, { region: 'us-east-1' }, {})).toThrow(new TargetError(`--region us-east-1 does not match registry ${EU_HOST}, which is in eu-west-1`));
    const error = (() => {
      try {
        resolveTarget(EU_HOST, {}, { region: 'us-east-1' }, {});
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TargetError);
    expect((error as Error).message).toBe(`ecr-auth: --region us-east-1 does not match registry ${EU_HOST}, which is in eu-west-1`);
    expect(resolveTarget(EU_HOST, {}, { region: 'eu-west-1' }, {}).region).toBe('eu-west-1');
    expect(resolveTarget('public.ecr.aws', {}, { region: 'eu-west-1' }, {})).toMatchObject({ host: 'public.ecr.aws', kind: 'public', region: 'us-east-1', settings: { region: 'us-east-1' } });
  });

  it('a bare account id: that account\'s registry in the region in force, in its partition', () => {
    expect(resolveTarget(' 210987654321 ', {}, { region: 'eu-west-1' }, {})).toMatchObject({ host: '210987654321.dkr.ecr.eu-west-1.amazonaws.com', input: '210987654321.dkr.ecr.eu-west-1.amazonaws.com', accountId: '210987654321', custom: false });
    expect(resolveTarget('210987654321', {}, {}, { AWS_REGION: 'cn-north-1' }).host).toBe('210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn');
    expect(resolveTarget('210987654321', { region: 'ap-south-1' }, {}, { AWS_REGION: 'eu-west-1' }).host).toBe('210987654321.dkr.ecr.ap-south-1.amazonaws.com');
    let refusal: unknown;
    try {
      resolveTarget(' 210987654321', {}, {}, { AWS_CONFIG_FILE: join(home, 'none') });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(UsageError);
    expect((refusal as Error).message).toBe('ecr-auth: "210987654321" is an account id: say which region its registry is in with --region (or AWS_REGION, or "region" in the configuration file)');
    // Not 12 digits: a name like any other, refused as not ECR's (what was typed, not a host made of it).
    for (const input of ['21098765432', '2109876543210', 'x210987654321', '210987654321x', '21098765432a']) {
      expect(() => resolveTarget(input, {}, { region: 'us-east-1' }, {}), input).toThrow(`"${input}" is not an ECR registry host`);
    }
  });

  it('a custom name mapped in the configuration file: its entry\'s region and account, the command line over them', () => {
    const config = { registries: { 'mirror.example.com': { region: 'eu-west-1', accountId: '210987654321' }, 'public-mirror.example.com': { public: true } } };
    expect(resolveTarget('mirror.example.com', config, {}, {})).toEqual({
      host: 'mirror.example.com',
      input: 'mirror.example.com',
      kind: 'private',
      region: 'eu-west-1',
      accountId: '210987654321',
      custom: true,
      settings: { region: 'eu-west-1', accountId: '210987654321' },
    });
    expect(resolveTarget('mirror.example.com', config, { region: 'ap-south-1' }, {}).region).toBe('ap-south-1');
    expect(resolveTarget('mirror.example.com', config, { public: true }, {})).toMatchObject({ kind: 'public', region: 'us-east-1', custom: true });
    expect(resolveTarget('public-mirror.example.com', config, {}, {})).toEqual({
      host: 'public-mirror.example.com',
      input: 'public-mirror.example.com',
      kind: 'public',
      region: 'us-east-1',
      accountId: undefined,
      custom: true,
      settings: { public: true },
    });
    const noRegion = { registries: { 'mirror.example.com': { accountId: '210987654321' } } };
    expect(() => resolveTarget('mirror.example.com', noRegion, {}, { AWS_REGION: 'us-east-1' })).toThrow(new TargetError('"mirror.example.com" is a custom name: its entry in the configuration file needs a "region"'));
    expect(() => resolveTarget('mirror.example.com', noRegion, {}, {})).toThrow(TargetError);
    expect(resolveTarget('mirror.example.com', noRegion, { region: 'us-east-1' }, {}).region).toBe('us-east-1');
  });

  it('an empty name is refused (blanks too); no name is the caller\'s own registry', () => {
    for (const input of ['', ' \t ']) {
      let refusal: unknown;
      try {
        resolveTarget(input, {}, {}, { AWS_REGION: 'us-east-1' });
      } catch (error) {
        refusal = error;
      }
      expect(refusal, JSON.stringify(input)).toBeInstanceOf(TargetError);
      expect((refusal as Error).message).toBe('ecr-auth: the registry is empty; pass a host such as 123456789012.dkr.ecr.us-east-1.amazonaws.com');
    }
    expect(resolveTarget(undefined, {}, {}, { AWS_REGION: 'us-east-1' }).region).toBe('us-east-1');
  });
});

describe('scopeOf', () => {
  it('none before the region is known; else the cache scope of the target\'s kind, region, endpoint, identity, role and variant', () => {
    const own = resolveTarget(undefined, {}, {}, { AWS_CONFIG_FILE: join(home, 'none') });
    expect(scopeOf(own, env)).toBeUndefined();
    const e: Env = { AWS_CONFIG_FILE: join(home, 'none'), AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 's' };
    expect(scopeOf(target(ECR_HOST, {}, {}, e), e)).toEqual({ kind: 'private', region: 'us-east-1', endpoint: 'aws', identity: 'key:AKIAEXAMPLE', roleArn: undefined });
    const settings = { registries: { [ECR_HOST]: { endpoint: 'http://127.0.0.1:9/', profile: 'p', roleArn: ROLE_ARN } } };
    expect(scopeOf(target(ECR_HOST, settings, {}, e), e)).toEqual({ kind: 'private', region: 'us-east-1', endpoint: 'http://127.0.0.1:9', identity: 'profile:p', roleArn: ROLE_ARN });
    expect(scopeOf(target('public.ecr.aws', {}, {}, e), e)).toMatchObject({ kind: 'public', region: 'us-east-1' });
    expect(scopeOf(target('123456789012.dkr.ecr-fips.us-east-1.amazonaws.com', {}, {}, e), e)?.endpoint).toBe('aws+fips');
    expect(scopeOf(target('123456789012.dkr-ecr.us-east-1.on.aws', {}, {}, e), e)?.endpoint).toBe('aws+dualstack');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAPROCESSENV');
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    expect(scopeOf(target(ECR_HOST, {}, {}, e))?.identity).toBe('key:AKIAPROCESSENV');
  });
});

describe('CooldownError', () => {
  it('says until when and why, without a second prefix', () => {
    const retryAt = Date.UTC(2030, 0, 2, 3, 4, 5, 6);
    const error = new CooldownError({ retryAt, message: 'ecr-auth: throttled by ECR' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CooldownError');
    expect(error.code).toBe('ECR_AUTH_COOLDOWN');
    expect(error.retryAt).toEqual(new Date(retryAt));
    expect(error.message).toBe('ecr-auth: not asking ECR again before 2030-01-02T03:04:05.006Z: the last attempt failed (throttled by ECR)');
    expect(new CooldownError({ retryAt, message: 'network down; ecr-auth: retry' }).message).toBe('ecr-auth: not asking ECR again before 2030-01-02T03:04:05.006Z: the last attempt failed (network down; ecr-auth: retry)');
  });
});

describe('get: from the cache or from ECR', () => {
  it('a miss asks ECR once and caches the token; the next get, in any process, is served from the cache', async () => {
    const first = await source().get(target(ECR_HOST));
    expect(first.origin).toBe('api');
    expect(Object.keys(first).sort()).toEqual(['clockOffsetMs', 'origin', 'token']);
    expect(Math.abs(first.clockOffsetMs)).toBeLessThan(1_000);
    expect(first.token.registry).toBe(ECR_HOST);
    const password = first.token.revealPassword();
    expect(emulator.issuedPasswords()).toContain(password);
    expect(readCachedToken(dir, scope())).toEqual({
      v: 2,
      scope: expect.stringMatching(/^[0-9a-f]{32}$/),
      username: 'AWS',
      password,
      registry: ECR_HOST,
      region: 'us-east-1',
      accountId: '123456789012',
      kind: 'private',
      fetchedAt: first.token.fetchedAt.getTime(),
      expiresAt: first.token.expiresAt.getTime(),
      clockOffsetMs: first.clockOffsetMs,
    });
    const again = await source().get(target(ECR_HOST));
    expect(again.origin).toBe('cache');
    expect(Object.keys(again).sort()).toEqual(['clockOffsetMs', 'origin', 'token']);
    expect(again.clockOffsetMs).toBe(first.clockOffsetMs);
    expect(again.token.revealPassword()).toBe(password);
    expect(again.token).toBeInstanceOf(AuthorizationToken);
    expect(again.token.toJSON()).toEqual(first.token.toJSON());
    expect(again.token.proxyEndpoint).toBe(`https://${ECR_HOST}`);
    expect(calls()).toBe(1);
  });

  it('the token is addressed to the registry asked for: another account of the same scope shares the cached token', async () => {
    await source().get(target(ECR_HOST));
    const other = await source().get(target(OTHER_ACCOUNT_HOST));
    expect(other.origin).toBe('cache');
    expect(other.token.registry).toBe(OTHER_ACCOUNT_HOST);
    expect(other.token.accountId).toBe('210987654321');
    expect(other.token.proxyEndpoint).toBe(`https://${OTHER_ACCOUNT_HOST}`);
    // The caller's own registry: the cached token as ECR addressed it.
    const own = await source().get(target(undefined, {}, {}, { ...env, AWS_REGION: 'us-east-1' }));
    expect(own.token.registry).toBe(ECR_HOST);
    expect(own.token.accountId).toBe('123456789012');
    expect(readCachedToken(dir, scope())?.registry).toBe(ECR_HOST);
    expect(calls()).toBe(1);
  });

  it('an ECR host is asked for by name (for its endpoint variant): its record holds that host, and serves the scope\'s other hosts', async () => {
    await source().get(target(OTHER_ACCOUNT_HOST));
    expect(readCachedToken(dir, scope())).toMatchObject({ registry: OTHER_ACCOUNT_HOST, accountId: '210987654321' });
    const own = await source().get(target(ECR_HOST));
    expect(own.origin).toBe('cache');
    expect(own.token).toMatchObject({ registry: ECR_HOST, accountId: '123456789012' });
    expect(calls()).toBe(1);
  });

  it('asks ECR for the region, kind and registry of the target', async () => {
    const s = source({ useCache: false });
    const own = await s.get(target(undefined, {}, { region: 'eu-west-1' }));
    expect(own.token.registry).toBe(EU_HOST);
    expect(own.token.region).toBe('eu-west-1');
    const other = await s.get(target(OTHER_ACCOUNT_HOST));
    expect(other.token.registry).toBe(OTHER_ACCOUNT_HOST);
    expect(other.token.accountId).toBe('210987654321');
    const pub = await s.get(target(undefined, {}, { public: true }));
    expect(pub.token).toMatchObject({ registry: 'public.ecr.aws', kind: 'public', region: 'us-east-1' });
    expect(events.filter((e) => e.operation !== undefined).map((e) => [e.operation, e.region])).toEqual([
      ['ecr:GetAuthorizationToken', 'eu-west-1'],
      ['ecr:GetAuthorizationToken', 'us-east-1'],
      ['ecr-public:GetAuthorizationToken', 'us-east-1'],
    ]);
    // The account of the caller's own registry is ECR's word, not the configuration file's.
    const configured = await s.get(target(undefined, { accountId: '210987654321' }, { region: 'us-east-1' }));
    expect(configured.token.accountId).toBe('123456789012');
    expect(configured.token.registry).toBe(ECR_HOST);
  });

  it('a custom name gets a token addressed to it, with the account of its entry', async () => {
    const config = { registries: { 'mirror.example.com': { region: 'us-east-1', accountId: '210987654321' } } };
    const result = await source().get(target('mirror.example.com', config));
    expect(result.origin).toBe('api');
    expect(result.token).toMatchObject({ registry: 'mirror.example.com', proxyEndpoint: 'https://mirror.example.com', accountId: '210987654321', region: 'us-east-1' });
    // A cached token for the custom name's scope is served addressed to it.
    plant(6 * HOUR, { password: 'scope-password' });
    const cached = await source().get(target('mirror.example.com', config));
    expect(cached.origin).toBe('cache');
    expect(cached.token).toMatchObject({ registry: 'mirror.example.com', accountId: '210987654321' });
    expect(cached.token.revealPassword()).toBe('scope-password');
    expect(calls()).toBe(1);
  });

  it('a custom name\'s token is cached as ECR issued it: one call serves the name, the ECR hosts and the other custom names of its scope', async () => {
    const config = { registries: { 'mirror.example.com': { region: 'us-east-1', accountId: '210987654321' }, 'other-mirror.example.com': { region: 'us-east-1' } } };
    const first = await source().get(target('mirror.example.com', config));
    expect(first.origin).toBe('api');
    expect(first.token).toMatchObject({ registry: 'mirror.example.com', proxyEndpoint: 'https://mirror.example.com', accountId: '210987654321', region: 'us-east-1', kind: 'private' });
    const password = first.token.revealPassword();
    // The record holds the token as ECR addressed it (the caller's own host of the region), which the cache's
    // strict check accepts; the custom name is only its address on the way out.
    expect(readCachedToken(dir, scope())).toMatchObject({ registry: ECR_HOST, accountId: '123456789012', region: 'us-east-1', kind: 'private', password });
    const again = await source().get(target('mirror.example.com', config));
    expect(again.origin).toBe('cache');
    expect(again.token).toMatchObject({ registry: 'mirror.example.com', proxyEndpoint: 'https://mirror.example.com', accountId: '210987654321' });
    expect(again.token.revealPassword()).toBe(password);
    const ecr = await source().get(target(ECR_HOST));
    expect(ecr.origin).toBe('cache');
    expect(ecr.token).toMatchObject({ registry: ECR_HOST, accountId: '123456789012' });
    expect(ecr.token.revealPassword()).toBe(password);
    // Another custom name of the scope, with no account of its own: the account ECR reported.
    const other = await source().get(target('other-mirror.example.com', config));
    expect(other.origin).toBe('cache');
    expect(other.token).toMatchObject({ registry: 'other-mirror.example.com', accountId: '123456789012' });
    // ECR was asked for the region's token (no registry, no account: nothing of the custom name reaches it).
    expect(events.filter((e) => e.operation !== undefined).map((e) => [e.operation, e.region])).toEqual([['ecr:GetAuthorizationToken', 'us-east-1']]);
    expect(calls()).toBe(1);
    // Negative control: a custom name of another scope (another region) is not served from this one.
    const eu = { registries: { 'mirror.example.com': { region: 'eu-west-1' } } };
    const fromEu = await source().get(target('mirror.example.com', eu));
    expect(fromEu.origin).toBe('api');
    expect(fromEu.token).toMatchObject({ registry: 'mirror.example.com', region: 'eu-west-1' });
    expect(readCachedToken(dir, scope('eu-west-1'))?.registry).toBe(EU_HOST);
    expect(calls()).toBe(2);
  });

  it('a custom name\'s renewal keeps the ECR host of its scope served (its record is replaced by another ECR token, not evicted)', async () => {
    const config = { registries: { 'mirror.example.com': { region: 'us-east-1' } } };
    expect((await source().get(target(ECR_HOST))).origin).toBe('api');
    const renewed = await source().get(target('mirror.example.com', config), { forceRefresh: true });
    expect(renewed.origin).toBe('api');
    const ecr = await source().get(target(ECR_HOST));
    expect(ecr.origin).toBe('cache');
    expect(ecr.token.revealPassword()).toBe(renewed.token.revealPassword());
    expect(calls()).toBe(2);
  });

  it('the cache stays strict: a record addressed to a custom name is refused, and its get asks ECR (control)', async () => {
    const config = { registries: { 'mirror.example.com': { region: 'us-east-1' } } };
    const now = Date.now();
    const record = { username: 'AWS', password: 'addressed-to-the-mirror', registry: 'mirror.example.com', region: 'us-east-1', accountId: '123456789012', kind: 'private' as const, fetchedAt: now - HOUR, expiresAt: now + 11 * HOUR, clockOffsetMs: 0 };
    writeCachedToken(dir, scope(), record);
    expect(readCachedToken(dir, scope())).toBeUndefined();
    // Control: the same record addressed to the scope's ECR host is read.
    writeCachedToken(dir, scope(), { ...record, registry: ECR_HOST });
    expect(readCachedToken(dir, scope())?.password).toBe('addressed-to-the-mirror');
    writeCachedToken(dir, scope(), record);
    const result = await source().get(target('mirror.example.com', config));
    expect(result.origin).toBe('api');
    expect(result.token.revealPassword()).not.toBe('addressed-to-the-mirror');
    expect(calls()).toBe(1);
  });

  it('a public custom name gets an ECR Public token from us-east-1, addressed to it, cached for public.ecr.aws as well', async () => {
    const config = { registries: { 'public-mirror.example.com': { public: true } } };
    const result = await source().get(target('public-mirror.example.com', config));
    expect(result.origin).toBe('api');
    expect(result.token).toMatchObject({ registry: 'public-mirror.example.com', proxyEndpoint: 'https://public-mirror.example.com', kind: 'public', region: 'us-east-1', accountId: undefined });
    expect(events.filter((e) => e.operation !== undefined).map((e) => [e.operation, e.region])).toEqual([['ecr-public:GetAuthorizationToken', 'us-east-1']]);
    expect(readCachedToken(dir, scope('us-east-1', 'public'))).toMatchObject({ registry: 'public.ecr.aws', kind: 'public', region: 'us-east-1', password: result.token.revealPassword() });
    const again = await source().get(target('public-mirror.example.com', config));
    expect(again.origin).toBe('cache');
    expect(again.token).toMatchObject({ registry: 'public-mirror.example.com', kind: 'public' });
    const pub = await source().get(target('public.ecr.aws'));
    expect(pub.origin).toBe('cache');
    expect(pub.token.registry).toBe('public.ecr.aws');
    expect(publicCalls()).toBe(1);
    expect(calls()).toBe(0);
    // Negative control: the same name without "public" is a private custom name, served by private ECR.
    const privateConfig = { registries: { 'public-mirror.example.com': { region: 'us-east-1' } } };
    const priv = await source().get(target('public-mirror.example.com', privateConfig));
    expect(priv.token).toMatchObject({ registry: 'public-mirror.example.com', kind: 'private', accountId: '123456789012' });
    expect(publicCalls()).toBe(1);
    expect(calls()).toBe(1);
  });

  it('the server\'s clock offset is measured at the fetch, stored, and served with the cached token', async () => {
    emulator.setClockOffset(3_600);
    const fetched = await source().get(target(ECR_HOST));
    expect(fetched.clockOffsetMs).toBeGreaterThan(3_600_000 - 2_000);
    expect(fetched.clockOffsetMs).toBeLessThan(3_600_000 + 2_000);
    expect(readCachedToken(dir, scope())?.clockOffsetMs).toBe(fetched.clockOffsetMs);
    const cached = await source().get(target(ECR_HOST));
    expect(cached).toMatchObject({ origin: 'cache', clockOffsetMs: fetched.clockOffsetMs });
  });

  it('says so (debug) when the cache serves; a logger without debug, or none, is fine', async () => {
    const lines: string[] = [];
    const record = plant(6 * HOUR);
    await source({ logger: { debug: (line: string) => lines.push(line) } }).get(target(ECR_HOST));
    expect(lines).toEqual([`ecr-auth: token for private us-east-1 from the cache (expires ${new Date(record.expiresAt).toISOString()})`]);
    expect((await source({ logger: {} }).get(target(ECR_HOST))).origin).toBe('cache');
    expect((await source().get(target(ECR_HOST))).origin).toBe('cache');
  });
});

describe('get: freshness', () => {
  it('fresh: served; inside the refresh window or expired: renewed; forceRefresh: renewed whatever its age', async () => {
    frozenClock();
    plant(30 * MINUTE + 1);
    expect((await source().get(target(ECR_HOST))).origin).toBe('cache');
    expect(calls()).toBe(0);
    plant(30 * MINUTE);
    const renewed = await source().get(target(ECR_HOST));
    expect(renewed.origin).toBe('api');
    expect(readCachedToken(dir, scope())?.password).toBe(renewed.token.revealPassword());
    expect(calls()).toBe(1);
    plant(5 * MINUTE);
    expect((await source().get(target(ECR_HOST))).origin).toBe('api');
    expect(calls()).toBe(2);
    plant(6 * HOUR, { password: 'fresh-but-forced' });
    const forced = await source().get(target(ECR_HOST), { forceRefresh: true });
    expect(forced.origin).toBe('api');
    expect(forced.token.revealPassword()).not.toBe('fresh-but-forced');
    expect(readCachedToken(dir, scope())?.password).toBe(forced.token.revealPassword());
    expect(calls()).toBe(3);
  });

  it('on the server\'s clock: a token the local clock thinks fresh is renewed when the server is ahead', async () => {
    frozenClock();
    plant(45 * MINUTE, { clockOffsetMs: 20 * MINUTE });
    expect((await source().get(target(ECR_HOST))).origin).toBe('api');
    plant(45 * MINUTE, { clockOffsetMs: 0 });
    expect((await source().get(target(ECR_HOST))).origin).toBe('cache');
  });

  it('the configured margins decide (default: renew 30 minutes, refuse 5 minutes before expiry)', async () => {
    frozenClock();
    plant(5 * HOUR);
    expect((await source({ margins: { safetyMarginMs: 5 * MINUTE, refreshAheadMs: 7 * HOUR } }).get(target(ECR_HOST))).origin).toBe('api');
    plant(5 * HOUR);
    expect((await source().get(target(ECR_HOST))).origin).toBe('cache');
    // A safety margin of 2 hours: a token with 1.5 hours left is never served, not even when renewal fails.
    plant(90 * MINUTE, { password: 'inside-safety' });
    emulator.injectFault({ kind: 'access-denied', count: 2 });
    const error = await rejection(source({ margins: { safetyMarginMs: 2 * HOUR, refreshAheadMs: 3 * HOUR } }).get(target(ECR_HOST)));
    expect(error).toBeInstanceOf(AccessDeniedError);
    const kept = await source({ margins: { safetyMarginMs: HOUR, refreshAheadMs: 3 * HOUR } }).get(target(ECR_HOST));
    expect(kept.origin).toBe('stale-cache');
    expect(kept.token.revealPassword()).toBe('inside-safety');
  });

  it('the cache switched off: neither read nor written, no lock, no cooldown', async () => {
    plant(6 * HOUR, { password: 'not-to-be-read' });
    const s = source({ useCache: false });
    const result = await s.get(target(ECR_HOST));
    expect(result.origin).toBe('api');
    expect(readCachedToken(dir, scope())?.password).toBe('not-to-be-read');
    // A failed fetch: the valid token in the cache is not used, and no cooldown is recorded.
    plant(20 * MINUTE, { password: 'valid-in-window' });
    emulator.injectFault({ kind: 'access-denied' });
    const error = await rejection(s.get(target(ECR_HOST)));
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(readCooldown(dir, scope())).toBeUndefined();
    // Someone else's lock does not hold up a get that does not use the cache.
    const lock = tryAcquireLock(fetchLockPath(dir, scope()));
    expect((await s.get(target(ECR_HOST))).origin).toBe('api');
    lock?.release();
    expect(await readdir(dir)).toEqual([cacheFileName(scope())]);
    expect(calls()).toBe(3);
  });
});

describe('get: a failed renewal', () => {
  it('inside the refresh window: the cached token, with the error; a cooldown recorded for every process', async () => {
    plant(20 * MINUTE, { password: 'still-valid' });
    emulator.injectFault({ kind: 'access-denied' });
    const result = await source().get(target(ECR_HOST));
    expect(result.origin).toBe('stale-cache');
    expect(result.token.revealPassword()).toBe('still-valid');
    expect(result.token.registry).toBe(ECR_HOST);
    expect(result.renewalError).toBeInstanceOf(AccessDeniedError);
    expect(result.clockOffsetMs).toBe(0);
    expect(readCooldown(dir, scope())).toMatchObject({ failures: 1, message: (result.renewalError as Error).message.split('\n')[0] });
    expect(calls()).toBe(1);
  });

  it('expired, or nothing cached: the error itself, and a cooldown', async () => {
    plant(5 * MINUTE, { password: 'expired' });
    emulator.injectFault({ kind: 'access-denied', count: 2 });
    const expired = await rejection(source().get(target(ECR_HOST)));
    expect(expired).toBeInstanceOf(AccessDeniedError);
    expect(readCooldown(dir, scope())?.failures).toBe(1);
    const none = await rejection(source().get(target(EU_HOST)));
    expect(none).toBeInstanceOf(AccessDeniedError);
    expect(readCooldown(dir, scope('eu-west-1'))?.message).toBe(none.message.split('\n')[0]);
    expect(calls()).toBe(2);
  });

  it('a token that expires while the renewal runs is not served', async () => {
    const clock = frozenClock();
    plant(6 * MINUTE, { password: 'expires-meanwhile' });
    emulator.injectFault({ kind: 'access-denied', count: 2 });
    // Control: the clock stands still, the token is served.
    expect((await source().get(target(ECR_HOST))).origin).toBe('stale-cache');
    onAnswer = (event) => {
      if (event.operation === 'ecr:GetAuthorizationToken') clock.advance(2 * MINUTE);
    };
    expect(await rejection(source().get(target(ECR_HOST)))).toBeInstanceOf(AccessDeniedError);
  });

  it('a success clears the cooldown that an earlier failure left', async () => {
    recordFailure(dir, scope(), 'ecr-auth: throttled');
    expect((await source().get(target(ECR_HOST))).origin).toBe('api');
    expect(readCooldown(dir, scope())).toBeUndefined();
  });

  it('given up by the caller: no cooldown for the others (control: a timeout records one)', async () => {
    emulator.injectFault({ kind: 'delay', ms: 3_000 });
    const controller = new AbortController();
    const pending = rejection(source().get(target(ECR_HOST), { signal: controller.signal }));
    await until(() => calls() === 1, 'the request');
    controller.abort(new Error('stop'));
    const started = Date.now();
    const error = await pending;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(EcrAuthError);
    expect(readCooldown(dir, scope())).toBeUndefined();
    emulator.injectFault({ kind: 'delay', ms: 3_000 });
    expect(await rejection(source({ timeoutMs: 300 }).get(target(ECR_HOST)))).toBeInstanceOf(NetworkError);
    expect(readCooldown(dir, scope())?.failures).toBe(1);
  });

  it('a cache folder that cannot be written: the token still served (a warning), the error still thrown', async () => {
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o777);
    const warnings: string[] = [];
    const result = await source({ logger: { warn: (line: string) => warnings.push(line) } }).get(target(ECR_HOST));
    expect(result.origin).toBe('api');
    expect(warnings).toEqual([`ecr-auth: could not write the token cache: the token cache folder ${dir} is writable by other users; remove it, or set ECR_AUTH_CACHE_DIR to a private folder`]);
    expect((await source().get(target(ECR_HOST))).origin).toBe('api');
    expect((await source({ logger: {} }).get(target(ECR_HOST))).origin).toBe('api');
    emulator.injectFault({ kind: 'access-denied' });
    expect(await rejection(source().get(target(ECR_HOST)))).toBeInstanceOf(AccessDeniedError);
    // Under a file: no folder at all.
    await writeFile(join(home, 'a-file'), '');
    emulator.injectFault({ kind: 'access-denied' });
    expect(await rejection(source({ cacheDir: join(home, 'a-file', 'cache') }).get(target(ECR_HOST)))).toBeInstanceOf(AccessDeniedError);
    expect(calls()).toBe(5);
  });
});

describe('get: the failure cooldown', () => {
  it('respected (the credential helper): no call; the valid token with the cooldown as renewal error, else the cooldown', async () => {
    const cooldown = recordFailure(dir, scope(), 'ecr-auth: throttled by ECR');
    const s = source({ respectCooldown: true });
    const refused = await rejection(s.get(target(ECR_HOST)));
    expect(refused).toBeInstanceOf(CooldownError);
    expect(refused.message).toBe(`ecr-auth: not asking ECR again before ${new Date(cooldown.retryAt).toISOString()}: the last attempt failed (throttled by ECR)`);
    plant(20 * MINUTE, { password: 'in-window' });
    const served = await s.get(target(ECR_HOST));
    expect(served.origin).toBe('stale-cache');
    expect(served.token.revealPassword()).toBe('in-window');
    expect(served.renewalError).toBeInstanceOf(CooldownError);
    plant(6 * HOUR, { password: 'fresh' });
    expect((await s.get(target(ECR_HOST))).origin).toBe('cache');
    // An expired token is never served, not even while the cooldown holds.
    plant(5 * MINUTE, { password: 'expired' });
    expect(await rejection(s.get(target(ECR_HOST)))).toBeInstanceOf(CooldownError);
    expect(calls()).toBe(0);
    // Without the cache, there is no cooldown to read.
    expect((await source({ respectCooldown: true, useCache: false }).get(target(ECR_HOST))).origin).toBe('api');
    expect(calls()).toBe(1);
  });

  it('not respected by default (a command the user typed asks)', async () => {
    recordFailure(dir, scope(), 'ecr-auth: throttled by ECR');
    plant(20 * MINUTE);
    expect((await source().get(target(ECR_HOST))).origin).toBe('api');
    expect(calls()).toBe(1);
  });
});

describe('get: the fetch lock (one fetch per scope across processes)', () => {
  const holdLock = () => {
    ensureCacheDir(dir);
    const lock = tryAcquireLock(fetchLockPath(dir, scope()));
    if (!lock) throw new Error('could not take the lock');
    return lock;
  };

  it('held by another with a valid token cached: that token, at once, and no call', async () => {
    plant(20 * MINUTE, { password: 'in-window' });
    const lock = holdLock();
    const result = await source().get(target(ECR_HOST));
    expect(result).toMatchObject({ origin: 'cache' });
    expect(result.token.revealPassword()).toBe('in-window');
    expect(calls()).toBe(0);
    // The other's lock is left alone.
    expect(tryAcquireLock(fetchLockPath(dir, scope()))).toBeUndefined();
    lock.release();
  });

  it('held with nothing valid: waits for the other\'s token (a valid one, fresh or not), polling every 50 ms', async () => {
    plant(4 * MINUTE, { password: 'expired' });
    const lock = holdLock();
    const started = performance.now();
    const pending = source({ timeoutMs: 10_000 }).get(target(ECR_HOST));
    await new Promise((resolve) => setTimeout(resolve, 120));
    // The other writes an expired token first: not taken.
    plant(4 * MINUTE, { password: 'still-expired', fetchedAt: Date.now() - 12 * HOUR + 5 * MINUTE });
    await new Promise((resolve) => setTimeout(resolve, 120));
    plant(20 * MINUTE, { password: 'the-others' });
    const result = await pending;
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(result.origin).toBe('cache');
    expect(result.token.revealPassword()).toBe('the-others');
    expect(calls()).toBe(0);
    lock.release();
  });

  it('held with nothing cached at all: the other\'s token', async () => {
    const lock = holdLock();
    const pending = source({ timeoutMs: 10_000 }).get(target(ECR_HOST));
    await new Promise((resolve) => setTimeout(resolve, 80));
    plant(6 * HOUR, { password: 'the-others' });
    const result = await pending;
    expect(result.origin).toBe('cache');
    expect(result.token.revealPassword()).toBe('the-others');
    expect(calls()).toBe(0);
    lock.release();
  });

  it('gives up at the deadline with a retryable network error (no call)', async () => {
    const lock = holdLock();
    const started = performance.now();
    const error = await rejection(source({ timeoutMs: 300 }).get(target(ECR_HOST)));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'ECR_AUTH_NETWORK', retryable: true });
    expect(error.message).toBe('ecr-auth: another process was still fetching the token after 300 ms (ECR_AUTH_TIMEOUT_MS); gave up waiting for it');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1_500);
    expect(calls()).toBe(0);
    // Waiting is not a failure of ECR's: no cooldown.
    expect(readCooldown(dir, scope())).toBeUndefined();
    lock.release();
  });

  it('gives up exactly at the deadline (frozen clock)', async () => {
    const clock = frozenClock();
    const lock = holdLock();
    const pending = rejection(source({ timeoutMs: 1_000 }).get(target(ECR_HOST)));
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 120));
    clock.advance(999);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(settled).toBe(false);
    clock.advance(1);
    await until(() => settled, 'the waiter to give up', 1_000).finally(() => clock.advance(10_000));
    expect(await pending).toBeInstanceOf(NetworkError);
    lock.release();
  });

  it('near the deadline, the wait is cut to what is left of it (frozen clock: many short polls, not 50 ms ones)', async () => {
    const clock = frozenClock();
    const lock = holdLock();
    let polls = 0;
    const pending = rejection(source({ timeoutMs: 1_000 }).get(target(ECR_HOST)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    clock.advance(999);
    lockSeams.link = (existing, path) => {
      polls += 1;
      realLink(existing, path);
    };
    await new Promise((resolve) => setTimeout(resolve, 300));
    lockSeams.link = realLink;
    clock.advance(1);
    expect(await pending).toBeInstanceOf(NetworkError);
    // 1 ms polls for 300 ms; 50 ms polls would be 6 or 7.
    expect(polls).toBeGreaterThan(12);
    lock.release();
  });

  it('a clock stepped back while waiting: the token read at the start is not taken for the other\'s', async () => {
    const clock = frozenClock();
    plant(4 * MINUTE, { password: 'expired-at-start' });
    const lock = holdLock();
    const pending = rejection(source({ timeoutMs: 1_000 }).get(target(ECR_HOST)));
    await new Promise((resolve) => setTimeout(resolve, 120));
    clock.advance(-10 * MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 150));
    clock.advance(10 * MINUTE + 1_000);
    expect(await pending).toBeInstanceOf(NetworkError);
    expect(calls()).toBe(0);
    lock.release();
  });

  it('the caller gives up while waiting: the signal\'s reason, no call, no cooldown', async () => {
    const lock = holdLock();
    const controller = new AbortController();
    const reason = new Error('stopped by the caller');
    const pending = rejection(source({ timeoutMs: 10_000 }).get(target(ECR_HOST), { signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 80));
    const started = performance.now();
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(performance.now() - started).toBeLessThan(500);
    expect(readCooldown(dir, scope())).toBeUndefined();
    expect(calls()).toBe(0);
    lock.release();
  });

  it('a lock left by a crashed fetch is broken after the deadline plus 2 s; a younger one is waited for', async () => {
    const lock = holdLock();
    const path = fetchLockPath(dir, scope());
    // timeoutMs 1000: stale after 3000 ms. 1500 ms old, it stays held for the whole wait.
    await utimes(path, new Date(Date.now() - 1_500), new Date(Date.now() - 1_500));
    expect(await rejection(source({ timeoutMs: 1_000 }).get(target(ECR_HOST)))).toBeInstanceOf(NetworkError);
    expect(calls()).toBe(0);
    await utimes(path, new Date(Date.now() - 3_500), new Date(Date.now() - 3_500));
    expect((await source({ timeoutMs: 1_000 }).get(target(ECR_HOST))).origin).toBe('api');
    expect(calls()).toBe(1);
    lock.release();
  });

  it('released, with a fresh token written just before: that token, no call, the lock released again', async () => {
    beforeNextLink(() => plant(6 * HOUR, { password: 'written-meanwhile' }));
    const result = await source().get(target(ECR_HOST));
    expect(result.origin).toBe('cache');
    expect(result.token.revealPassword()).toBe('written-meanwhile');
    expect(calls()).toBe(0);
    const free = tryAcquireLock(fetchLockPath(dir, scope()));
    expect(free).toBeDefined();
    free?.release();
    // Only a fresh one counts, and not when a refresh is forced.
    plant(4 * MINUTE);
    beforeNextLink(() => plant(20 * MINUTE, { password: 'in-window-meanwhile' }));
    expect((await source().get(target(ECR_HOST))).origin).toBe('api');
    plant(4 * MINUTE);
    beforeNextLink(() => plant(6 * HOUR, { password: 'fresh-meanwhile' }));
    expect((await source().get(target(ECR_HOST), { forceRefresh: true })).origin).toBe('api');
    expect(calls()).toBe(2);
  });

  it('the record read at the start, fresh again after the clock stepped back, is not taken for another\'s new token', async () => {
    const clock = frozenClock();
    plant(4 * MINUTE, { password: 'expired-at-start' });
    beforeNextLink(() => clock.advance(-HOUR));
    const result = await source().get(target(ECR_HOST));
    expect(result.origin).toBe('api');
    expect(calls()).toBe(1);
  });

  it('a lock that cannot be taken (a folder in its place), with a fresh token written meanwhile: that token', async () => {
    await mkdir(fetchLockPath(dir, scope()), { recursive: true });
    beforeNextLink(() => plant(6 * HOUR, { password: 'written-meanwhile' }));
    const result = await source().get(target(ECR_HOST));
    expect(result.origin).toBe('cache');
    expect(result.token.revealPassword()).toBe('written-meanwhile');
    expect(calls()).toBe(0);
  });

  it('a lock that cannot be created (the cache folder is not ours): the fetch goes ahead', async () => {
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o757);
    const result = await source({ timeoutMs: 2_000 }).get(target(ECR_HOST));
    expect(result.origin).toBe('api');
    expect(calls()).toBe(1);
  });
});

describe('get: the endpoint, the credentials and the SDK client', () => {
  /** An environment with the base keys and no endpoint: the test adds the endpoints it means. */
  const bare = (extra: Record<string, string>): Env => ({ ...isolatedEnv(home), AWS_ACCESS_KEY_ID: BASE.accessKeyId, AWS_SECRET_ACCESS_KEY: BASE.secretAccessKey, AWS_REGION: 'us-east-1', ...extra });
  const both = async (e: Env, flags = {}) => {
    const s = source({ env: e, useCache: false });
    await s.get(resolveTarget(ECR_HOST, {}, flags, e));
    await s.get(resolveTarget(undefined, {}, { ...flags, public: true }, e));
    const counts = { first: [calls(emulator), publicCalls(emulator)], second: [calls(second), publicCalls(second)] };
    emulator.resetStats();
    second.resetStats();
    return counts;
  };

  it('the endpoint: the configured one, else AWS_ENDPOINT_URL_ECR or _ECR_PUBLIC, else AWS_ENDPOINT_URL', async () => {
    expect(await both(bare({ AWS_ENDPOINT_URL: second.url }))).toEqual({ first: [0, 0], second: [1, 1] });
    expect(await both(bare({ AWS_ENDPOINT_URL_ECR: emulator.url, AWS_ENDPOINT_URL: second.url }))).toEqual({ first: [1, 0], second: [0, 1] });
    expect(await both(bare({ AWS_ENDPOINT_URL_ECR_PUBLIC: emulator.url, AWS_ENDPOINT_URL: second.url }))).toEqual({ first: [0, 1], second: [1, 0] });
    expect(await both(bare({ AWS_ENDPOINT_URL_ECR: '', AWS_ENDPOINT_URL_ECR_PUBLIC: '', AWS_ENDPOINT_URL: second.url }))).toEqual({ first: [0, 0], second: [1, 1] });
    expect(await both(bare({ AWS_ENDPOINT_URL_ECR: second.url, AWS_ENDPOINT_URL_ECR_PUBLIC: second.url }), { endpoint: emulator.url })).toEqual({ first: [1, 1], second: [0, 0] });
  });

  it('one SDK client per credentials and endpoint: a target with another endpoint gets its own', async () => {
    const s = source({ useCache: false });
    await s.get(target(ECR_HOST, {}, { endpoint: second.url }));
    await s.get(target(ECR_HOST));
    expect([calls(emulator), calls(second)]).toEqual([1, 1]);
  });

  it('every get that reaches the client asks ECR (the client\'s own memory and cooldown are not in the way)', async () => {
    const lines: string[] = [];
    const s = source({ useCache: false, logger: { debug: (line: string) => lines.push(line) } });
    const first = await s.get(target(ECR_HOST));
    const second_ = await s.get(target(ECR_HOST));
    expect(second_.token.revealPassword()).not.toBe(first.token.revealPassword());
    emulator.injectFault({ kind: 'access-denied' });
    expect(await rejection(s.get(target(ECR_HOST)))).toBeInstanceOf(AccessDeniedError);
    expect((await s.get(target(ECR_HOST))).origin).toBe('api');
    expect(calls()).toBe(4);
    // The client's own failure cooldown is off: the CLI's cooldown is the one shared by every process.
    expect(lines.filter((line) => line.includes('next attempt in'))).toEqual([expect.stringMatching(/ \(next attempt in 0 s\)$/)]);
  });

  it('a slow answer within the deadline is waited for (the backstop is the deadline plus a second)', async () => {
    emulator.injectFault({ kind: 'delay', ms: 1_300 });
    expect((await source({ timeoutMs: 5_000 }).get(target(ECR_HOST))).origin).toBe('api');
    expect(calls()).toBe(1);
  });

  it('the logger reaches ecr-auth (its debug lines on a fetch)', async () => {
    const lines: string[] = [];
    await source({ logger: { debug: (line: string) => lines.push(line) } }).get(target(ECR_HOST));
    expect(lines.length).toBeGreaterThan(0);
  });

  it('close() closes the clients (no connection left open) and a later get opens a new one', async () => {
    const sockets = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;
    const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
    await settle();
    const before = sockets();
    const s = new TokenSource({ cacheDir: dir, timeoutMs: 5_000, env, useCache: false });
    await s.get(target(ECR_HOST));
    await s.get(target(ECR_HOST));
    await s.close();
    await settle();
    expect(sockets()).toBe(before);
    expect((await s.get(target(ECR_HOST))).origin).toBe('api');
    await s.close();
    expect(calls()).toBe(3);
  });

  it('keys of the environment given (not the process\'s), with their session token', async () => {
    await source({ useCache: false }).get(target(ECR_HOST));
    const sessionEnv = { ...env, AWS_ACCESS_KEY_ID: SESSION_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: SESSION_KEY.secretAccessKey, AWS_SESSION_TOKEN: SESSION_KEY.sessionToken };
    await source({ env: sessionEnv, useCache: false }).get(target(ECR_HOST, {}, {}, sessionEnv));
    const signed = events.filter((e) => e.operation === 'ecr:GetAuthorizationToken').map((e) => [e.accessKeyId, e.status]);
    expect(signed).toEqual([
      [BASE.accessKeyId, 200],
      [SESSION_KEY.accessKeyId, 200],
    ]);
  });

  it('half a key pair in the environment given is no key: the SDK\'s own chain, which finds none here', async () => {
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    vi.stubEnv('AWS_CONFIG_FILE', join(home, 'none'));
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(home, 'none'));
    for (const drop of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
      const half: Env = { ...env, [drop]: '' };
      const error = await rejection(source({ env: half, useCache: false, timeoutMs: 2_000 }).get(target(ECR_HOST, {}, {}, half)));
      expect(error, drop).toBeInstanceOf(CredentialsError);
      expect((error as CredentialsError).code, drop).toBe('ECR_AUTH_NO_CREDENTIALS');
    }
    expect(calls()).toBe(0);
  });

  it('with the process\'s own environment, the SDK\'s chain decides (AWS_PROFILE over the keys)', async () => {
    const credentials = join(home, 'credentials');
    await writeFile(credentials, `[emu]\naws_access_key_id = ${PROFILE_KEY.accessKeyId}\naws_secret_access_key = ${PROFILE_KEY.secretAccessKey}\n`);
    const settings = { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: join(home, 'none'), AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: 'emu', AWS_ACCESS_KEY_ID: BASE.accessKeyId, AWS_SECRET_ACCESS_KEY: BASE.secretAccessKey, AWS_SESSION_TOKEN: '', AWS_ENDPOINT_URL_ECR: emulator.url, AWS_REGION: 'us-east-1' };
    for (const [key, value] of Object.entries(settings)) vi.stubEnv(key, value);
    const own = new TokenSource({ cacheDir: dir, timeoutMs: 5_000, useCache: false });
    sources.push(own);
    await own.get(resolveTarget(ECR_HOST, {}, {}, process.env));
    // Control: the same variables in an environment given: its keys.
    const given = { ...process.env };
    await source({ env: given, useCache: false }).get(resolveTarget(ECR_HOST, {}, {}, given));
    expect(events.filter((e) => e.operation === 'ecr:GetAuthorizationToken').map((e) => e.accessKeyId)).toEqual([PROFILE_KEY.accessKeyId, BASE.accessKeyId]);
  });

  it('a profile: its own keys, not the environment\'s', async () => {
    const credentials = join(home, 'credentials');
    await writeFile(credentials, `[emu]\naws_access_key_id = ${PROFILE_KEY.accessKeyId}\naws_secret_access_key = ${PROFILE_KEY.secretAccessKey}\n`);
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', credentials);
    vi.stubEnv('AWS_CONFIG_FILE', join(home, 'none'));
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    await source({ useCache: false }).get(target(ECR_HOST, {}, { profile: 'emu' }));
    expect(events.filter((e) => e.operation === 'ecr:GetAuthorizationToken').map((e) => e.accessKeyId)).toEqual([PROFILE_KEY.accessKeyId]);
  });
});

describe('get: a role to assume', () => {
  const sts = () => emulator.stats().requests['sts:AssumeRole'] ?? 0;
  beforeEach(() => {
    // The SDK's STS client reads its endpoint and the source credentials from the process environment.
    vi.stubEnv('AWS_ENDPOINT_URL_STS', emulator.url);
    vi.stubEnv('AWS_ACCESS_KEY_ID', BASE.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', BASE.secretAccessKey);
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    vi.stubEnv('AWS_CONFIG_FILE', join(home, 'none'));
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(home, 'none'));
  });

  it('assumes it once per client (session ecr-auth, the external id, STS in the target\'s region) and asks ECR as the role', async () => {
    const config = { registries: { [EU_HOST]: { roleArn: ROLE_ARN, externalId: 'ext-42' } } };
    const s = source({ useCache: false });
    await s.get(target(EU_HOST, config));
    await s.get(target(EU_HOST, config));
    expect(emulator.issuedSessions()).toMatchObject([{ operation: 'sts:AssumeRole', roleArn: ROLE_ARN, sessionName: 'ecr-auth', externalId: 'ext-42', requestedBy: BASE.accessKeyId }]);
    expect(sts()).toBe(1);
    expect(events.filter((e) => e.operation === 'sts:AssumeRole').map((e) => e.region)).toEqual(['eu-west-1']);
    expect(events.filter((e) => e.operation === 'ecr:GetAuthorizationToken').map((e) => e.callerArn)).toEqual([
      'arn:aws:sts::123456789012:assumed-role/ecr-pull/ecr-auth',
      'arn:aws:sts::123456789012:assumed-role/ecr-pull/ecr-auth',
    ]);
  });

  it('the session name of the entry; no external id unless given', async () => {
    const config = { registries: { [ECR_HOST]: { roleArn: ROLE_ARN, roleSessionName: 'ci-job' } } };
    await source({ useCache: false }).get(target(ECR_HOST, config));
    const [session] = emulator.issuedSessions().slice(-1);
    expect(session).toMatchObject({ sessionName: 'ci-job' });
    expect(session?.externalId).toBeUndefined();
  });

  it('with a profile: the profile\'s keys are the source', async () => {
    const credentials = join(home, 'credentials');
    await writeFile(credentials, `[emu]\naws_access_key_id = ${PROFILE_KEY.accessKeyId}\naws_secret_access_key = ${PROFILE_KEY.secretAccessKey}\n`);
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', credentials);
    await source({ useCache: false }).get(target(ECR_HOST, { registries: { [ECR_HOST]: { roleArn: ROLE_ARN, profile: 'emu' } } }));
    expect(emulator.issuedSessions().slice(-1)).toMatchObject([{ requestedBy: PROFILE_KEY.accessKeyId }]);
  });

  it('a role STS refuses: a credentials error naming STS and the role, no ECR call', async () => {
    const other = 'arn:aws:iam::123456789012:role/admin';
    const error = await rejection(source({ useCache: false }).get(target(ECR_HOST, { registries: { [ECR_HOST]: { roleArn: other } } })));
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({ code: 'ECR_AUTH_INVALID_CREDENTIALS', retryable: false });
    expect(error.message).toBe(
      `ecr-auth: could not assume role ${other}: STS answered AccessDenied (User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: sts:AssumeRole on resource: ${other}); check the role's trust policy and the source credentials`,
    );
    expect((error as Error & { cause?: { name?: string } }).cause?.name).toBe('AccessDenied');
    expect(calls()).toBe(0);
  });

  it('STS that does not answer: get ends about a second after the deadline, saying the deadline ended it (the cooldown too)', async () => {
    // STS of its own, stopped at the end: the held AssumeRole calls then fail, and no late ECR call reaches
    // the next test (a credentials provider that ignores the deadline carries on after get has given up).
    const sts2 = await startTestEmulator({ credentials: [BASE], roles: [ROLE_ARN] });
    try {
      vi.stubEnv('AWS_ENDPOINT_URL_STS', sts2.url);
      const held = () => sts2.stats().requests['sts:AssumeRole'] ?? 0;
      const config = { registries: { [ECR_HOST]: { roleArn: ROLE_ARN } } };
      const roleScope = scopeOf(target(ECR_HOST, config), env);
      if (!roleScope) throw new Error('no scope');
      sts2.injectFault({ kind: 'delay', ms: 10_000, operation: 'sts:AssumeRole', count: 4 });
      const started = Date.now();
      const error = await rejection(source({ timeoutMs: 300 }).get(target(ECR_HOST, config)));
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(1_200);
      expect(elapsed).toBeLessThan(2_500);
      expect(error).toBeInstanceOf(NetworkError);
      expect(error).toMatchObject({ code: 'ECR_AUTH_NETWORK', retryable: true, awsErrorCode: 'TimeoutError' });
      expect(error.message).toBe(
        'ecr-auth: GetAuthorizationToken (private, us-east-1): no token within the deadline of 300 ms (ECR_AUTH_TIMEOUT_MS); the AWS credentials or the API did not answer in time',
      );
      expect((error as Error & { cause?: unknown }).cause).toBeInstanceOf(AbortedError);
      expect(readCooldown(dir, roleScope)?.message).toBe(error.message);
      // The caller's own registry, its region left to the SDK: the message names no region.
      vi.stubEnv('AWS_REGION', 'eu-west-1');
      const e: Env = { ...env, AWS_REGION: '', AWS_CONFIG_FILE: join(home, 'none') };
      const own = resolveTarget(undefined, { roleArn: ROLE_ARN }, { endpoint: emulator.url }, e);
      expect(own.region).toBeUndefined();
      const unplaced = await rejection(source({ env: e, timeoutMs: 300 }).get(own));
      expect(unplaced.message).toBe(
        'ecr-auth: GetAuthorizationToken (private): no token within the deadline of 300 ms (ECR_AUTH_TIMEOUT_MS); the AWS credentials or the API did not answer in time',
      );
      // Controls: the caller's own abort, and close() of the source, stay AbortedErrors, and leave no cooldown.
      for (const end of ['abort', 'close'] as const) {
        const controller = new AbortController();
        const before = held();
        const s = source({ timeoutMs: 5_000, useCache: false });
        const pending = rejection(s.get(target(ECR_HOST, config), { signal: controller.signal }));
        await until(() => held() > before, 'the STS request');
        const ending = Date.now();
        if (end === 'abort') controller.abort(new Error('stop'));
        else await s.close();
        const ended = await pending;
        expect(Date.now() - ending, end).toBeLessThan(1_000);
        expect(ended, end).toBeInstanceOf(AbortedError);
        expect(ended.message, end).toBe('ecr-auth: getToken was aborted by its caller');
      }
      expect(calls()).toBe(0);
    } finally {
      await sts2.stop();
    }
  });

  it('a custom name with a role: the role\'s token of the region, cached once for the name', async () => {
    const config = { registries: { 'mirror.example.com': { region: 'eu-west-1', roleArn: ROLE_ARN } } };
    expect((await source().get(target('mirror.example.com', config))).origin).toBe('api');
    const again = await source().get(target('mirror.example.com', config));
    expect(again.origin).toBe('cache');
    expect(again.token).toMatchObject({ registry: 'mirror.example.com', region: 'eu-west-1' });
    expect(sts()).toBe(1);
    expect(calls()).toBe(1);
  });

  it('STS out of reach: a retryable network error naming where STS was looked for', async () => {
    const closed = await startTestEmulator();
    const url = closed.url;
    await closed.stop();
    vi.stubEnv('AWS_ENDPOINT_URL_STS', url);
    const config = { registries: { [ECR_HOST]: { roleArn: ROLE_ARN } } };
    const warnings: string[] = [];
    const message = async (e: Env) => {
      const error = await rejection(source({ env: e, useCache: false, timeoutMs: 500, logger: { warn: (line: string) => warnings.push(line) } }).get(target(ECR_HOST, config, {}, e)));
      expect(error).toBeInstanceOf(NetworkError);
      expect(error).toMatchObject({ code: 'ECR_AUTH_NETWORK', retryable: true });
      return error.message;
    };
    const host = new URL(url).host;
    // Retryable: retried until the deadline, the last attempt's error quoted.
    expect(await message({ ...env, AWS_ENDPOINT_URL_STS: url })).toBe(
      `ecr-auth: GetAuthorizationToken (private, us-east-1): no token within the deadline of 500 ms; last attempt: could not assume role ${ROLE_ARN}: could not reach STS at ${host} (ECONNREFUSED: connect ECONNREFUSED ${host})`,
    );
    expect(warnings[0]).toBe('ecr-auth: GetAuthorizationToken (private, us-east-1): attempt 1 failed (ECR_AUTH_NETWORK); retrying');
    expect(await message({ ...env, AWS_ENDPOINT_URL: url })).toContain(`could not reach STS at ${host} (`);
    expect(await message({ ...env, AWS_ENDPOINT_URL_STS: 'not a url' })).toContain('could not reach STS at the configured endpoint (');
    expect(await message(env)).toContain(`could not assume role ${ROLE_ARN}: could not reach STS (ECONNREFUSED: `);
    expect(calls()).toBe(0);
  });
});

describe('get: no region known before the fetch', () => {
  it('the SDK\'s region decides, and the token is cached under the scope of the region it came from', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    const e: Env = { ...env, AWS_REGION: '', AWS_CONFIG_FILE: join(home, 'none') };
    const own = resolveTarget(undefined, {}, { endpoint: emulator.url }, e);
    expect(own.region).toBeUndefined();
    const result = await source({ env: e }).get(own);
    expect(result.origin).toBe('api');
    expect(result.token.region).toBe('eu-west-1');
    expect(readCachedToken(dir, cacheScope({ kind: 'private', region: 'eu-west-1', endpoint: emulator.url }, e))?.password).toBe(result.token.revealPassword());
    // A failure without a scope leaves no cooldown behind (there is no scope to record it under).
    emulator.injectFault({ kind: 'access-denied' });
    expect(await rejection(source({ env: e }).get(own))).toBeInstanceOf(AccessDeniedError);
    expect((await readdir(dir)).filter((name) => name.includes('cooldown'))).toEqual([]);
  });
});
