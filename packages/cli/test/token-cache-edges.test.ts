// The token cache's settings, scope and file handling, each rule on its own (mutation testing found them
// reached only through the helper's child processes, or not at all): where the folder is, when the cache is
// off, who a scope belongs to, which files are trusted, cleaned up, listed and removed.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cacheDir,
  cacheDisabled,
  cachedRecordNames,
  cacheFileName,
  cacheScope,
  clearFailure,
  ensureCacheDir,
  readCachedToken,
  readCooldown,
  readPrivateFile,
  recordFailure,
  removeCachedToken,
  writeCachedToken,
  type CachedToken,
} from '../src/token-cache.ts';

const HOUR = 3_600_000;
/** No shared AWS config file: the profile settings are empty. */
const NO_AWS = { AWS_CONFIG_FILE: '/nonexistent/aws-config' };
const base = { kind: 'private' as const, region: 'us-east-1' };

function token(now = Date.now()): Omit<CachedToken, 'scope' | 'v'> {
  return {
    username: 'AWS',
    password: 'edges-password',
    registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
    region: 'us-east-1',
    accountId: '123456789012',
    kind: 'private',
    fetchedAt: now - HOUR,
    expiresAt: now + 11 * HOUR,
    clockOffsetMs: 0,
  };
}

const openFds = (): number => readdirSync('/proc/self/fd').length;
const hasChattr = (() => {
  try {
    execFileSync('chattr', ['--help'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return (error as { status?: number }).status !== undefined;
  }
})();

describe('where the cache is, and whether it is on', () => {
  it('ECR_AUTH_CACHE_DIR, else AWS_ECR_CACHE_DIR, else $XDG_CACHE_HOME/ecr-auth, else $HOME/.cache/ecr-auth, else the home folder\'s', () => {
    expect(cacheDir({ ECR_AUTH_CACHE_DIR: '/a', AWS_ECR_CACHE_DIR: '/b', XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/a');
    expect(cacheDir({ ECR_AUTH_CACHE_DIR: '', AWS_ECR_CACHE_DIR: '/b', XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/b');
    expect(cacheDir({ AWS_ECR_CACHE_DIR: '/b' })).toBe('/b');
    expect(cacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/x/ecr-auth');
    expect(cacheDir({ XDG_CACHE_HOME: '', HOME: '/h' })).toBe('/h/.cache/ecr-auth');
    expect(cacheDir({ HOME: '' })).toBe(join(homedir(), '.cache', 'ecr-auth'));
    expect(cacheDir({})).toBe(join(homedir(), '.cache', 'ecr-auth'));
  });

  it('off for ECR_AUTH_NO_CACHE=1 or true, and for AWS_ECR_DISABLE_CACHE set to anything; on otherwise', () => {
    expect(cacheDisabled({ ECR_AUTH_NO_CACHE: '1' })).toBe(true);
    expect(cacheDisabled({ ECR_AUTH_NO_CACHE: 'true' })).toBe(true);
    expect(cacheDisabled({ AWS_ECR_DISABLE_CACHE: 'false' })).toBe(true);
    expect(cacheDisabled({ AWS_ECR_DISABLE_CACHE: 'x', ECR_AUTH_NO_CACHE: '0' })).toBe(true);
    for (const env of [{}, { ECR_AUTH_NO_CACHE: '0' }, { ECR_AUTH_NO_CACHE: 'yes' }, { ECR_AUTH_NO_CACHE: '' }, { AWS_ECR_DISABLE_CACHE: '' }]) {
      expect(cacheDisabled(env), JSON.stringify(env)).toBe(false);
    }
  });
});

describe('the scope of a token', () => {
  it('names the identity: the profile given, long-term keys, temporary keys, AWS_PROFILE or default, plus a namespace', () => {
    const identity = (input: { profile?: string }, env: Record<string, string>) => cacheScope({ ...base, ...input }, { ...NO_AWS, ...env }).identity;
    expect(identity({ profile: 'prod' }, { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_PROFILE: 'dev' })).toBe('profile:prod');
    expect(identity({}, { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' })).toBe('key:AKIAEXAMPLE');
    expect(identity({}, { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SESSION_TOKEN: 's' })).toBe('env-session');
    expect(identity({}, { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE' })).toBe('env-session');
    expect(identity({}, { AWS_PROFILE: 'dev' })).toBe('profile:dev');
    expect(identity({}, { AWS_PROFILE: '', AWS_ACCESS_KEY_ID: '' })).toBe('profile:default');
    expect(identity({}, {})).toBe('profile:default');
    expect(identity({}, { ECR_AUTH_CACHE_NAMESPACE: 'job-2' })).toBe('profile:default|ns:job-2');
    // Web identity (GitHub Actions OIDC, EKS service accounts) and container credentials: their role or URI.
    const web = { AWS_WEB_IDENTITY_TOKEN_FILE: '/tmp/token', AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/ci' };
    expect(identity({}, web)).toBe('profile:default|web:arn:aws:iam::123456789012:role/ci');
    expect(identity({}, { ...web, AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/deploy' })).toBe('profile:default|web:arn:aws:iam::123456789012:role/deploy');
    expect(identity({}, { AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/ci' })).toBe('profile:default');
    expect(identity({}, { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc' })).toBe('profile:default|container:/v2/credentials/abc');
    expect(identity({}, { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials', ...web })).toBe(
      'profile:default|web:arn:aws:iam::123456789012:role/ci|container:http://169.254.170.23/v1/credentials',
    );
    // Keys in the environment come first in the SDK's chain: the role is not what signs.
    expect(identity({}, { ...web, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' })).toBe('key:AKIAEXAMPLE');
    expect(identity({ profile: 'prod' }, { ECR_AUTH_CACHE_NAMESPACE: '' })).toBe('profile:prod');
  });

  it('names the endpoint: the one given, else the service\'s variable, else AWS_ENDPOINT_URL, trailing slashes dropped', () => {
    const env = { ...NO_AWS, AWS_ENDPOINT_URL_ECR: 'http://private.test//', AWS_ENDPOINT_URL_ECR_PUBLIC: 'http://public.test/', AWS_ENDPOINT_URL: 'http://all.test' };
    expect(cacheScope(base, env)).toEqual({ kind: 'private', region: 'us-east-1', endpoint: 'http://private.test', identity: 'profile:default', roleArn: undefined });
    expect(cacheScope({ kind: 'public', region: 'us-east-1', roleArn: 'arn:aws:iam::123456789012:role/r' }, env)).toEqual({
      kind: 'public',
      region: 'us-east-1',
      endpoint: 'http://public.test',
      identity: 'profile:default',
      roleArn: 'arn:aws:iam::123456789012:role/r',
    });
    expect(cacheScope(base, { ...NO_AWS, AWS_ENDPOINT_URL_ECR_PUBLIC: 'http://public.test', AWS_ENDPOINT_URL: 'http://all.test/' }).endpoint).toBe('http://all.test');
    expect(cacheScope({ kind: 'public', region: 'us-east-1' }, { ...NO_AWS, AWS_ENDPOINT_URL_ECR: 'http://private.test' }).endpoint).toBe('aws');
    expect(cacheScope({ ...base, endpoint: 'http://given.test/' }, env).endpoint).toBe('http://given.test');
    expect(cacheScope(base, NO_AWS).endpoint).toBe('aws');
  });

  it('reads FIPS and dual-stack from the profile, both at once', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ecr-auth-edges-profile-'));
    try {
      const config = join(root, 'config');
      await writeFile(config, '[profile dual]\nuse_dualstack_endpoint = true\n[profile both]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = TRUE\n');
      expect(cacheScope({ ...base, profile: 'dual' }, { AWS_CONFIG_FILE: config }).endpoint).toBe('aws+dualstack');
      expect(cacheScope({ ...base, profile: 'both' }, { AWS_CONFIG_FILE: config }).endpoint).toBe('aws+fips+dualstack');
      expect(cacheScope({ ...base, profile: 'both' }, { AWS_CONFIG_FILE: config, AWS_USE_DUALSTACK_ENDPOINT: 'false' }).endpoint).toBe('aws+fips');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('the cache folder and its files', () => {
  const scope = cacheScope(base, NO_AWS);
  let root: string;
  let dir: string;
  const file = () => join(dir, cacheFileName(scope));
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ecr-auth-edges-'));
    dir = join(root, 'cache');
  });
  afterEach(async () => {
    if (hasChattr) execFileSync('chattr', ['-R', '-i', root], { stdio: 'ignore' });
    await rm(root, { recursive: true, force: true });
  });

  it('reads a record of exactly 64 KiB, not a byte more', async () => {
    writeCachedToken(dir, scope, token());
    const honest = await readFile(file(), 'utf8');
    const padded = (size: number) => `${honest.slice(0, -1)},"padding":"${'x'.repeat(size - honest.length - 13)}"}`;
    await writeFile(file(), padded(64 * 1024));
    expect((await stat(file())).size).toBe(64 * 1024);
    expect(readCachedToken(dir, scope)?.password).toBe('edges-password');
    await writeFile(file(), padded(64 * 1024 + 1));
    expect(readCachedToken(dir, scope)).toBeUndefined();
  });

  it('refuses a record others may write, even in a folder of ours', async () => {
    writeCachedToken(dir, scope, token());
    for (const mode of [0o620, 0o602]) {
      await chmod(file(), mode);
      expect(readCachedToken(dir, scope), mode.toString(8)).toBeUndefined();
      expect((await stat(file())).mode & 0o777).toBe(mode);
    }
  });

  it('refuses a record whose registry is of another kind than its scope', async () => {
    writeCachedToken(dir, scope, { ...token(), registry: 'public.ecr.aws' });
    expect(readCachedToken(dir, scope)).toBeUndefined();
    // Control: the same record with its own registry reads back.
    writeCachedToken(dir, scope, token());
    expect(readCachedToken(dir, scope)?.password).toBe('edges-password');
  });

  it.skipIf(!hasChattr)('does not trust a folder of ours it cannot tighten (immutable, 0750)', async () => {
    writeCachedToken(dir, scope, token());
    await chmod(dir, 0o750);
    execFileSync('chattr', ['+i', dir]);
    expect(readCachedToken(dir, scope)).toBeUndefined();
    execFileSync('chattr', ['-i', dir]);
    // Control: once it can be tightened, it is, and read.
    expect(readCachedToken(dir, scope)?.password).toBe('edges-password');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it.skipIf(process.getuid?.() !== 0)('without process.getuid (Windows), owners are not judged; modes still are', async () => {
    writeCachedToken(dir, scope, token());
    execFileSync('chown', ['-R', '65534', dir]);
    const getuid = Object.getOwnPropertyDescriptor(process, 'getuid');
    // Control: with it, another user's folder is refused.
    expect(readCachedToken(dir, scope)).toBeUndefined();
    try {
      Object.defineProperty(process, 'getuid', { value: undefined, configurable: true, writable: true });
      expect(readCachedToken(dir, scope)?.password).toBe('edges-password');
      await chmod(dir, 0o777);
      expect(() => ensureCacheDir(dir)).toThrow(expect.objectContaining({ code: 'EACCES' }));
    } finally {
      if (getuid) Object.defineProperty(process, 'getuid', getuid);
    }
    expect(() => ensureCacheDir(dir)).toThrow(expect.objectContaining({ code: 'EPERM' }));
  });

  it('leaves no file descriptor open, reading or writing', () => {
    writeCachedToken(dir, scope, token());
    const before = openFds();
    for (let i = 0; i < 20; i++) {
      writeCachedToken(dir, scope, token());
      expect(readCachedToken(dir, scope)).toBeDefined();
      recordFailure(dir, scope, 'x');
      expect(readPrivateFile(dir, cacheFileName(scope))).toBeDefined();
    }
    expect(openFds()).toBe(before);
  });

  it('a write that cannot replace the record fails and leaves no temporary file behind', async () => {
    await mkdir(join(file(), 'occupied'), { recursive: true });
    expect(() => writeCachedToken(dir, scope, token())).toThrow();
    expect((await readdir(dir)).sort()).toEqual([cacheFileName(scope)]);
  });

  it('says why a folder is not trusted', async () => {
    await mkdir(dir, { mode: 0o700 });
    await writeFile(join(root, 'plain-file'), '');
    expect(() => ensureCacheDir(join(root, 'plain-file'))).toThrow(
      expect.objectContaining({ code: 'EFTYPE', message: `the token cache folder ${join(root, 'plain-file')} is not a plain folder (a symbolic link or a file); remove it, or set ECR_AUTH_CACHE_DIR to a private folder` }),
    );
    await chmod(dir, 0o777);
    expect(() => ensureCacheDir(dir)).toThrow(
      expect.objectContaining({ code: 'EACCES', message: `the token cache folder ${dir} is writable by other users; remove it, or set ECR_AUTH_CACHE_DIR to a private folder` }),
    );
    if (process.getuid?.() === 0) {
      await chmod(dir, 0o700);
      execFileSync('chown', ['65534', dir]);
      expect(() => ensureCacheDir(dir)).toThrow(
        expect.objectContaining({ code: 'EPERM', message: `the token cache folder ${dir} belongs to user 65534, not to us (0); remove it, or set ECR_AUTH_CACHE_DIR to a private folder` }),
      );
    }
  });

  it('creates up to 64 missing levels, no more; a failed mkdir is the error', async () => {
    const levels = (n: number) => join(root, ...Array.from({ length: n }, (_, i) => `l${i}`));
    writeCachedToken(levels(64), scope, token());
    expect(readCachedToken(levels(64), scope)?.password).toBe('edges-password');
    await rm(join(root, 'l0'), { recursive: true });
    expect(() => ensureCacheDir(levels(65))).toThrow(expect.objectContaining({ code: 'ENOENT', syscall: 'mkdir' }));
    expect(existsSync(join(root, 'l0'))).toBe(false);
    expect(() => ensureCacheDir('/proc/self/nonexistent/ecr-auth')).toThrow(expect.objectContaining({ syscall: 'mkdir' }));
    // A folder that appears meanwhile (EEXIST) is not an error of mkdir: what is there is judged instead.
    await writeFile(join(root, 'plain-file'), '');
    expect(() => ensureCacheDir(`${join(root, 'plain-file')}/`)).toThrow(expect.objectContaining({ code: 'ENOTDIR', syscall: 'lstat' }));
  });

  it('removes stray temporary files of its own two patterns only, and only when older than a minute', async () => {
    await mkdir(dir, { mode: 0o700 });
    const hash = cacheFileName(scope).slice(0, 32);
    const strays = [`.${hash}.json.ecr-auth-123-abc.tmp`, `.${hash}.cooldown.json.ecr-auth-7-z9.tmp`, `${hash}.json.12.abc.tmp`];
    const kept = [
      `x.${hash}.json.ecr-auth-1-a.tmp`,
      `.${hash}.json.ecr-auth-1-a.tmp.keep`,
      `x${hash}.json.1.a.tmp`,
      `${hash}.json.1.a.tmp.keep`,
      'a.json.1.a.tmp',
      `${'g'.repeat(32)}.json.1.a.tmp`,
      `${hash}.json.1.A-.tmp`,
    ];
    const old = new Date(Date.now() - 5 * 60_000);
    for (const name of [...strays, ...kept]) {
      await writeFile(join(dir, name), 'token');
      await utimes(join(dir, name), old, old);
    }
    await writeFile(join(dir, `${hash}.json.99.young.tmp`), 'token');
    writeCachedToken(dir, scope, token());
    expect((await readdir(dir)).sort()).toEqual([cacheFileName(scope), `${hash}.json.99.young.tmp`, ...kept].sort());
  });

  it('lists the token records of a folder of ours only', async () => {
    expect(cachedRecordNames(dir)).toEqual([]);
    writeCachedToken(dir, scope, token());
    recordFailure(dir, scope, 'x');
    const hash = cacheFileName(scope).slice(0, 32);
    for (const name of [`${hash}.lock`, `x${hash}.json`, `${hash}.json.bak`, `${hash.toUpperCase()}.json`, `${hash.slice(1)}.json`, `${'g'.repeat(32)}.json`]) await writeFile(join(dir, name), '');
    expect(cachedRecordNames(dir)).toEqual([cacheFileName(scope)]);
    await chmod(dir, 0o777);
    expect(cachedRecordNames(dir)).toEqual([]);
  });

  it('reads a private file of up to 64 MiB from a folder of ours only', async () => {
    ensureCacheDir(dir);
    const bytes = Buffer.alloc(100_000, 7);
    await writeFile(join(dir, 'blob'), bytes, { mode: 0o600 });
    expect(readPrivateFile(dir, 'blob')?.equals(bytes)).toBe(true);
    expect(readPrivateFile(dir, 'missing')).toBeUndefined();
    await chmod(dir, 0o777);
    expect(readPrivateFile(dir, 'blob')).toBeUndefined();
  });

  it('removes a record: true when there was one', () => {
    expect(removeCachedToken(dir, scope)).toBe(false);
    writeCachedToken(dir, scope, token());
    expect(removeCachedToken(dir, scope)).toBe(true);
    expect(readCachedToken(dir, scope)).toBeUndefined();
    expect(removeCachedToken(dir, scope)).toBe(false);
  });
});

describe('the failure cooldown', () => {
  const scope = cacheScope(base, NO_AWS);
  const NOW = Date.UTC(2026, 0, 15, 12);
  let root: string;
  let dir: string;
  const cooldownFile = () => join(dir, cacheFileName(scope).replace(/\.json$/, '.cooldown.json'));
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ecr-auth-edges-cooldown-'));
    dir = join(root, 'cache');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is read only when every field is right, and only from a folder of ours', async () => {
    recordFailure(dir, scope, 'throttled', NOW);
    const honest = JSON.parse(await readFile(cooldownFile(), 'utf8')) as Record<string, unknown>;
    expect(honest).toEqual({ v: 1, scope: cacheFileName(scope).slice(0, 32), failures: 1, retryAt: NOW + 2_000, message: 'throttled' });
    expect(readCooldown(dir, scope, NOW)).toEqual(honest);
    for (const fields of [{ v: 2 }, { scope: '0'.repeat(32) }, { failures: '1' }, { retryAt: String(NOW + 2_000) }, { message: 1 }]) {
      await writeFile(cooldownFile(), JSON.stringify({ ...honest, ...fields }), { mode: 0o600 });
      expect(readCooldown(dir, scope, NOW), JSON.stringify(fields)).toBeUndefined();
    }
    await writeFile(cooldownFile(), JSON.stringify(honest), { mode: 0o600 });
    await chmod(dir, 0o777);
    expect(readCooldown(dir, scope, NOW)).toBeUndefined();
    await chmod(dir, 0o700);
    expect(readCooldown(dir, scope, NOW)).toEqual(honest);
    await writeFile(cooldownFile(), '{"v":1,', { mode: 0o600 });
    expect(readCooldown(dir, scope, NOW)).toBeUndefined();
  });

  it('counts failures in a row only from a record of this scope ended less than a minute ago', async () => {
    const first = recordFailure(dir, scope, 'a', NOW);
    expect(recordFailure(dir, scope, 'b', first.retryAt + 59_999).failures).toBe(2);
    const second = JSON.parse(await readFile(cooldownFile(), 'utf8')) as { retryAt: number };
    expect(recordFailure(dir, scope, 'c', second.retryAt + 60_000)).toMatchObject({ failures: 1, retryAt: second.retryAt + 62_000 });
    const honest = JSON.parse(await readFile(cooldownFile(), 'utf8')) as Record<string, unknown>;
    for (const fields of [{ scope: '0'.repeat(32) }, { failures: '3' }, { retryAt: String(NOW) }]) {
      await writeFile(cooldownFile(), JSON.stringify({ ...honest, ...fields }), { mode: 0o600 });
      expect(recordFailure(dir, scope, 'd', NOW).failures, JSON.stringify(fields)).toBe(1);
    }
    await writeFile(cooldownFile(), JSON.stringify({ ...honest, failures: 40, retryAt: NOW }), { mode: 0o600 });
    expect(recordFailure(dir, scope, 'e', NOW)).toMatchObject({ failures: 32, retryAt: NOW + 60_000 });
  });

  it('is cleared after a success', () => {
    recordFailure(dir, scope, 'a', NOW);
    expect(readCooldown(dir, scope, NOW)).toBeDefined();
    clearFailure(dir, scope);
    expect(readCooldown(dir, scope, NOW)).toBeUndefined();
  });
});
