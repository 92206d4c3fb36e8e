import { chmod, chown, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cacheFileName,
  cacheScope,
  clearFailure,
  ensureCacheDir,
  readCachedToken,
  readCooldown,
  recordFailure,
  tokenState,
  writeCachedToken,
  type CachedToken,
} from './token-cache.js';

const HOUR = 3_600_000;
function token(fetchedAgoMs: number, lifetimeMs = 12 * HOUR, now = Date.now()): CachedToken {
  return {
    v: 2,
    scope: '',
    username: 'AWS',
    password: 'cache-test-password',
    registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
    region: 'us-east-1',
    accountId: '123456789012',
    kind: 'private',
    fetchedAt: now - fetchedAgoMs,
    expiresAt: now - fetchedAgoMs + lifetimeMs,
    clockOffsetMs: 0,
  };
}

describe('token freshness', () => {
  it('fresh, then due for renewal 30 min before expiry, then never used inside the 5 min margin', () => {
    const now = Date.now();
    expect(tokenState(token(HOUR, 12 * HOUR, now), now)).toBe('fresh');
    expect(tokenState(token(12 * HOUR - 29 * 60_000, 12 * HOUR, now), now)).toBe('refresh');
    expect(tokenState(token(12 * HOUR - 5 * 60_000, 12 * HOUR, now), now)).toBe('expired');
    expect(tokenState(token(12 * HOUR - 6 * 60_000, 12 * HOUR, now), now)).toBe('refresh');
    expect(tokenState(token(13 * HOUR, 12 * HOUR, now), now)).toBe('expired');
  });

  it('short lifetimes scale the margins (a quarter and a half of the lifetime)', () => {
    const now = Date.now();
    expect(tokenState(token(1_000, 20_000, now), now)).toBe('fresh');
    expect(tokenState(token(11_000, 20_000, now), now)).toBe('refresh');
    expect(tokenState(token(15_000, 20_000, now), now)).toBe('expired');
  });

  it('judges expiry on the server clock', () => {
    const now = Date.now();
    const skewed = { ...token(HOUR), clockOffsetMs: 11 * HOUR };
    expect(tokenState(skewed, now)).toBe('expired');
  });
});

describe('cache scope and files', () => {
  it('rotating session keys share a scope; long-term keys, profiles, roles, endpoints and regions do not', () => {
    const base = { kind: 'private' as const, region: 'us-east-1' };
    const s1 = cacheScope(base, { AWS_ACCESS_KEY_ID: 'ASIA1', AWS_SESSION_TOKEN: 'a' });
    const s2 = cacheScope(base, { AWS_ACCESS_KEY_ID: 'ASIA2', AWS_SESSION_TOKEN: 'b' });
    expect(cacheFileName(s1)).toBe(cacheFileName(s2));
    const names = new Set(
      [
        cacheScope(base, { AWS_ACCESS_KEY_ID: 'AKIA1' }),
        cacheScope(base, { AWS_ACCESS_KEY_ID: 'AKIA2' }),
        cacheScope(base, { AWS_PROFILE: 'dev' }),
        cacheScope({ ...base, profile: 'prod' }, {}),
        cacheScope({ ...base, roleArn: 'arn:aws:iam::123456789012:role/x' }, {}),
        cacheScope(base, { AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:1' }),
        cacheScope({ ...base, region: 'eu-west-1' }, {}),
        cacheScope({ ...base, kind: 'public' }, {}),
        cacheScope(base, { ECR_AUTH_CACHE_NAMESPACE: 'job-2' }),
        s1,
      ].map(cacheFileName),
    );
    expect(names.size).toBe(10);
    for (const name of names) expect(name).toMatch(/^[0-9a-f]{32}\.json$/);
  });

  it('keeps FIPS and dual-stack tokens apart from the plain endpoint\'s: host, environment or profile setting; an endpoint override decides alone', async () => {
    const base = { kind: 'private' as const, region: 'us-east-1' };
    const plain = cacheFileName(cacheScope(base, {}));
    const fipsHost = cacheFileName(cacheScope({ ...base, fips: true }, {}));
    const fipsEnv = cacheFileName(cacheScope(base, { AWS_USE_FIPS_ENDPOINT: 'true' }));
    const dual = cacheFileName(cacheScope({ ...base, dualStack: true }, {}));
    const both = cacheFileName(cacheScope(base, { AWS_USE_FIPS_ENDPOINT: 'TRUE', AWS_USE_DUALSTACK_ENDPOINT: 'true' }));
    expect(new Set([plain, fipsHost, dual, both]).size).toBe(4);
    expect(fipsEnv).toBe(fipsHost);
    // Negative control: "false" is off.
    expect(cacheFileName(cacheScope(base, { AWS_USE_FIPS_ENDPOINT: 'false' }))).toBe(plain);
    const root = await mkdtemp(join(tmpdir(), 'ecr-auth-variant-'));
    try {
      await writeFile(join(root, 'config'), '[profile gov]\nregion = us-gov-west-1\nuse_fips_endpoint = true\n');
      expect(cacheFileName(cacheScope({ ...base, profile: 'gov' }, { AWS_CONFIG_FILE: join(root, 'config') }))).not.toBe(cacheFileName(cacheScope({ ...base, profile: 'gov' }, {})));
      expect(cacheScope({ ...base, profile: 'gov' }, { AWS_CONFIG_FILE: join(root, 'config') }).endpoint).toBe('aws+fips');
      // The environment wins over the profile, as in the SDK.
      expect(cacheScope({ ...base, profile: 'gov' }, { AWS_CONFIG_FILE: join(root, 'config'), AWS_USE_FIPS_ENDPOINT: 'false' }).endpoint).toBe('aws');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
    expect(cacheScope({ ...base, fips: true }, { AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:1' }).endpoint).toBe('http://127.0.0.1:1');
  });

  it('writes 0600 files in a 0700 folder atomically, reads back, ignores corrupt files', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ecr-auth-cache-'));
    try {
      const dir = join(root, 'nested', 'ecr-auth');
      const scope = cacheScope({ kind: 'private', region: 'us-east-1' }, {});
      expect(readCachedToken(dir, scope)).toBeUndefined();
      writeCachedToken(dir, scope, token(0));
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      const files = await readdir(dir);
      expect(files).toEqual([cacheFileName(scope)]);
      expect((await stat(join(dir, files[0] ?? ''))).mode & 0o777).toBe(0o600);
      expect(readCachedToken(dir, scope)?.password).toBe('cache-test-password');
      await writeFile(join(dir, cacheFileName(scope)), '{"v":2,"password":');
      expect(readCachedToken(dir, scope)).toBeUndefined();
      await writeFile(join(dir, cacheFileName(scope)), JSON.stringify({ ...token(0), password: '' }));
      expect(readCachedToken(dir, scope)).toBeUndefined();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('a cache that trusts only what it wrote', () => {
  const scope = cacheScope({ kind: 'private', region: 'us-east-1' }, {});
  let root: string;
  let dir: string;
  const file = () => join(dir, cacheFileName(scope));
  const plant = async (fields: Record<string, unknown>) => {
    const honest = JSON.parse(await readFile(file(), 'utf8')) as Record<string, unknown>;
    await writeFile(file(), JSON.stringify({ ...honest, ...fields }));
  };
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ecr-auth-trust-'));
    dir = join(root, 'cache');
    writeCachedToken(dir, scope, token(HOUR));
    // Positive control: what we wrote reads back.
    expect(readCachedToken(dir, scope)?.password).toBe('cache-test-password');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    ['an expiry in year 9999', { expiresAt: Date.UTC(9999, 0, 1) }],
    ['a life longer than 12 hours', { fetchedAt: Date.now() - HOUR, expiresAt: Date.now() + 12 * HOUR }],
    ['a fetch time in the future', { fetchedAt: Date.now() + HOUR, expiresAt: Date.now() + 2 * HOUR }],
    ['an expiry before the fetch', { expiresAt: Date.now() - 2 * HOUR }],
    ['a clock offset of years', { clockOffsetMs: 3 * 365 * 24 * HOUR }],
    ['a lookalike registry', { registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.test' }],
    ['a registry of another region', { registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com' }],
    ['another region', { region: 'eu-west-1' }],
    ['another kind', { kind: 'public', registry: 'public.ecr.aws' }],
    ['another scope', { scope: '0'.repeat(32) }],
    ['an old format', { v: 1 }],
    ['another user name', { username: 'admin' }],
    ['an empty password', { password: '' }],
    ['a bad account', { accountId: '12' }],
  ])('refuses a planted record with %s', async (_what, fields) => {
    await plant(fields);
    expect(readCachedToken(dir, scope)).toBeUndefined();
  });

  it('refuses an oversized record, a symbolic link to a record and a FIFO, without blocking', async () => {
    await plant({ padding: 'x'.repeat(70_000) });
    expect(readCachedToken(dir, scope)).toBeUndefined();
    writeCachedToken(join(root, 'other'), scope, token(HOUR));
    await rm(file());
    await symlink(join(root, 'other', cacheFileName(scope)), file());
    expect(readCachedToken(dir, scope)).toBeUndefined();
    await rm(file());
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [file()]);
    expect(readCachedToken(dir, scope)).toBeUndefined();
  });

  it('does not read a folder that is a link, belongs to another user or is writable by others; tightens one of ours', async () => {
    const link = join(root, 'link');
    await symlink(dir, link);
    expect(readCachedToken(link, scope)).toBeUndefined();
    expect(() => ensureCacheDir(link)).toThrow(expect.objectContaining({ code: 'EFTYPE' }));
    await chmod(dir, 0o777);
    expect(readCachedToken(dir, scope)).toBeUndefined();
    expect(() => writeCachedToken(dir, scope, token(0))).toThrow(expect.objectContaining({ code: 'EACCES' }));
    await chmod(dir, 0o755);
    expect(readCachedToken(dir, scope)?.password).toBe('cache-test-password');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    await chmod(file(), 0o644);
    expect(readCachedToken(dir, scope)?.password).toBe('cache-test-password');
    expect((await stat(file())).mode & 0o777).toBe(0o600);
    if (process.getuid?.() === 0) {
      await chown(dir, 65534, 65534);
      expect(readCachedToken(dir, scope)).toBeUndefined();
      expect(() => ensureCacheDir(dir)).toThrow(expect.objectContaining({ code: 'EPERM' }));
      await chown(dir, 0, 0);
      await chown(file(), 65534, 65534);
      expect(readCachedToken(dir, scope)).toBeUndefined();
    }
  });

  it('creates missing folders one level at a time, and fails at once under /proc', async () => {
    const deep = join(root, 'a', 'b', 'c');
    writeCachedToken(deep, scope, token(0));
    expect((await stat(join(root, 'a'))).mode & 0o777).toBe(0o700);
    expect(() => writeCachedToken('/proc/self/nonexistent/ecr-auth', scope, token(0))).toThrow();
  });

  it('removes temporary files of crashed writers older than a minute, and nothing else', async () => {
    const stray = join(dir, `.${cacheFileName(scope)}.ecr-auth-99999-abc.tmp`);
    const fresh = join(dir, `.${cacheFileName(scope)}.ecr-auth-99998-def.tmp`);
    const foreign = join(dir, 'notes.tmp');
    for (const path of [stray, fresh, foreign]) await writeFile(path, 'secret');
    const { utimes } = await import('node:fs/promises');
    const old = new Date(Date.now() - 5 * 60_000);
    await utimes(stray, old, old);
    await utimes(foreign, old, old);
    writeCachedToken(dir, scope, token(0));
    const names = await readdir(dir);
    expect(names).not.toContain(`.${cacheFileName(scope)}.ecr-auth-99999-abc.tmp`);
    expect(names).toContain(`.${cacheFileName(scope)}.ecr-auth-99998-def.tmp`);
    expect(names).toContain('notes.tmp');
  });

  it('records failures as a cooldown doubling from 2 s to 60 s, shared through the folder, cleared on success', async () => {
    const now = Date.now();
    expect(readCooldown(dir, scope, now)).toBeUndefined();
    expect(recordFailure(dir, scope, 'ecr-auth: throttled\nmore', now)).toMatchObject({ failures: 1, retryAt: now + 2_000, message: 'ecr-auth: throttled' });
    expect(readCooldown(dir, scope, now + 1_999)).toMatchObject({ failures: 1 });
    expect(readCooldown(dir, scope, now + 2_000)).toBeUndefined();
    expect(recordFailure(dir, scope, 'again', now + 2_000).retryAt).toBe(now + 2_000 + 4_000);
    let last = now + 6_000;
    for (let i = 0; i < 10; i++) last = recordFailure(dir, scope, 'again', last).retryAt;
    const capped = recordFailure(dir, scope, 'again', last);
    expect(capped.retryAt - last).toBe(60_000);
    expect(readCooldown(dir, scope, last)?.retryAt).toBe(capped.retryAt);
    clearFailure(dir, scope);
    expect(readCooldown(dir, scope, now)).toBeUndefined();
    // A forged cooldown far in the future is not believed (it would silence the helper for good).
    await writeFile(join(dir, cacheFileName(scope).replace('.json', '.cooldown.json')), JSON.stringify({ v: 1, scope: JSON.parse(await readFile(file(), 'utf8')).scope, failures: 1, retryAt: now + 10 * HOUR, message: 'x' }), { mode: 0o600 });
    expect(readCooldown(dir, scope, now)).toBeUndefined();
  });
});

describe('each check of a cached record on its own (mutation testing showed them overlapping)', () => {
  const scope = cacheScope({ kind: 'private', region: 'us-east-1' }, {});
  const NOW = Date.UTC(2026, 0, 15, 12);
  let root: string;
  let dir: string;
  const file = () => join(dir, cacheFileName(scope));
  /** Writes a record through the cache, then replaces fields of it; reads it back at NOW. */
  const readWith = async (fields: Record<string, unknown>, base: CachedToken = token(HOUR, 12 * HOUR, NOW)) => {
    writeCachedToken(dir, scope, base);
    const honest = JSON.parse(await readFile(file(), 'utf8')) as Record<string, unknown>;
    await writeFile(file(), JSON.stringify({ ...honest, ...fields }));
    return readCachedToken(dir, scope, NOW);
  };
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ecr-auth-trust-each-'));
    dir = join(root, 'cache');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads back an honest record (the control for every refusal below)', async () => {
    expect((await readWith({}))?.password).toBe('cache-test-password');
  });

  it.each([
    ['a kind that is not the scope’s (registry unchanged)', { kind: 'public' }],
    ['a password that is not a string', { password: 42 }],
    ['a fetch time that is not a number', { fetchedAt: String(NOW - HOUR) }],
    ['an expiry that is not a number', { expiresAt: String(NOW + HOUR) }],
    ['a clock offset that is not a number', { clockOffsetMs: '0' }],
    ['a registry that is not a string', { registry: 1234 }],
    ['an account that is not a string', { accountId: 123456789012 }],
    ['an account with a 13th digit', { accountId: '1234567890123' }],
    ['an account with a prefix', { accountId: 'x123456789012' }],
    ['a host that is not ECR', { registry: 'registry.example.com' }],
    ['a registry spelled in capitals', { registry: '123456789012.DKR.ECR.us-east-1.amazonaws.com' }],
    ['an expiry equal to the fetch time', { expiresAt: NOW - HOUR }],
  ])('refuses a record with %s', async (_what, fields) => {
    expect(await readWith(fields)).toBeUndefined();
  });

  it('refuses a record that is not an object', async () => {
    for (const text of ['null', '42', '"text"']) {
      writeCachedToken(dir, scope, token(HOUR, 12 * HOUR, NOW));
      await writeFile(file(), text);
      expect(readCachedToken(dir, scope, NOW), text).toBeUndefined();
    }
  });

  it('takes a clock offset of up to a day, a life of up to 12 h and a minute, a fetch up to a minute ahead', async () => {
    const DAY = 24 * HOUR;
    expect(await readWith({ clockOffsetMs: DAY })).toBeDefined();
    expect(await readWith({ clockOffsetMs: DAY + 1 })).toBeUndefined();
    expect(await readWith({ clockOffsetMs: -DAY, fetchedAt: NOW - DAY - HOUR, expiresAt: NOW - DAY + HOUR })).toBeDefined();
    expect(await readWith({ clockOffsetMs: -DAY - 1, fetchedAt: NOW - DAY - HOUR, expiresAt: NOW - DAY + HOUR })).toBeUndefined();
    const fetchedAt = NOW - HOUR;
    expect(await readWith({ fetchedAt, expiresAt: fetchedAt + 12 * HOUR + 60_000 })).toBeDefined();
    expect(await readWith({ fetchedAt, expiresAt: fetchedAt + 12 * HOUR + 60_001 })).toBeUndefined();
    // Fetched "in the future" on the server clock: a minute of leeway, judged with the record's own offset.
    expect(await readWith({ fetchedAt: NOW + 60_000, expiresAt: NOW + 2 * HOUR })).toBeDefined();
    expect(await readWith({ fetchedAt: NOW + 60_001, expiresAt: NOW + 2 * HOUR })).toBeUndefined();
    expect(await readWith({ clockOffsetMs: HOUR, fetchedAt: NOW + HOUR + 60_000, expiresAt: NOW + 3 * HOUR })).toBeDefined();
    expect(await readWith({ clockOffsetMs: -HOUR, fetchedAt: NOW + 60_000, expiresAt: NOW + 3 * HOUR })).toBeUndefined();
  });

  it('is due for renewal exactly at the refresh-ahead mark, not a millisecond before', () => {
    const lifetime = 12 * HOUR;
    const at = (remaining: number) => tokenState({ ...token(0, lifetime, NOW), fetchedAt: NOW + remaining - lifetime, expiresAt: NOW + remaining }, NOW);
    expect(at(30 * 60_000 + 1)).toBe('fresh');
    expect(at(30 * 60_000)).toBe('refresh');
    expect(at(5 * 60_000 + 1)).toBe('refresh');
    expect(at(5 * 60_000)).toBe('expired');
  });
});
