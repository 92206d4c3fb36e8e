import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheFileName, cacheScope, readCachedToken, tokenState, writeCachedToken, type CachedToken } from './token-cache.js';

const HOUR = 3_600_000;
function token(fetchedAgoMs: number, lifetimeMs = 12 * HOUR, now = Date.now()): CachedToken {
  return {
    v: 1,
    username: 'AWS',
    password: 'cache-test-password',
    registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
    proxyEndpoint: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com',
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
      await writeFile(join(dir, cacheFileName(scope)), '{"v":1,"password":');
      expect(readCachedToken(dir, scope)).toBeUndefined();
      await writeFile(join(dir, cacheFileName(scope)), JSON.stringify({ ...token(0), password: '' }));
      expect(readCachedToken(dir, scope)).toBeUndefined();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
