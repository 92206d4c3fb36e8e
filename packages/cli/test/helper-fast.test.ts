// The credential helper's start-up path in-process (runFast): every protocol command and every answer, exactly.
// The child-process tests (helper-trust, credential-helper) show the same through the built bundle; mutation
// testing cannot see into those, and found most of this module unpinned.
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tryAcquireLock } from '@ecr-auth/auth-file';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOT_FOUND, REFRESH_COMMAND, runFast, scopeOfPlaced, version } from '../src/helper-fast.ts';
import { placeRegistry } from '../src/registry-rule.ts';
import { cacheFileName, cacheScope, fetchLockPath, recordFailure, writeCachedToken, type CacheScope, type Env } from '../src/token-cache.ts';

const ECR_HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const FIPS_HOST = '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com';
const HOUR = 3_600_000;
// Docker matches this exact text (not the constant): "no credentials for this host".
const MISS = { stdout: 'credentials not found in native keychain\n', stderr: '', code: 1 };
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

let root: string;
let env: Env;
let dir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ecr-auth-helper-fast-'));
  dir = join(root, 'cache');
  env = { HOME: root, ECR_AUTH_CONFIG: join(root, 'config.json'), ECR_AUTH_CACHE_DIR: dir, AWS_CONFIG_FILE: join(root, 'aws-config') };
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const scopeOf = (region = 'us-east-1', extra: Partial<Parameters<typeof cacheScope>[0]> = {}): CacheScope => cacheScope({ kind: 'private', region, ...extra }, env);
/** A token whose remaining life is `remainingMs` (12 h tokens: renewal is due in the last 30 minutes). */
function plant(remainingMs: number, password = 'fast-password', scope = scopeOf(), registry = ECR_HOST): void {
  const now = Date.now();
  writeCachedToken(dir, scope, { username: 'AWS', password, registry, region: scope.region, accountId: '123456789012', kind: 'private', fetchedAt: now + remainingMs - 12 * HOUR, expiresAt: now + remainingMs, clockOffsetMs: 0 });
}
const get = (input: string, e: Env = env) => runFast('get', e, () => input);
const answer = (serverUrl: string, secret = 'fast-password') => ({ stdout: `${JSON.stringify({ ServerURL: serverUrl, Username: 'AWS', Secret: secret })}\n`, stderr: '', code: 0 });

describe('get', () => {
  it('answers a fresh token from the cache, repeating the server as asked (trimmed)', () => {
    plant(6 * HOUR);
    expect(get(` https://${ECR_HOST}/v2/ \n`)).toEqual(answer(`https://${ECR_HOST}/v2/`));
    expect(get(`${ECR_HOST}:443`)).toEqual(answer(`${ECR_HOST}:443`));
  });

  it('a miss, an expired token or a switched-off cache is a lookup for the slow path', () => {
    expect(get(ECR_HOST)).toEqual({ serverUrl: ECR_HOST, host: ECR_HOST });
    plant(4 * 60_000);
    expect(get(`https://${ECR_HOST}`)).toEqual({ serverUrl: `https://${ECR_HOST}`, host: ECR_HOST });
    plant(6 * HOUR);
    expect(get(ECR_HOST, { ...env, ECR_AUTH_NO_CACHE: '1' })).toEqual({ serverUrl: ECR_HOST, host: ECR_HOST });
    expect(get(ECR_HOST)).toEqual(answer(ECR_HOST));
  });

  it('the not-found answer for names that are not ECR\'s, and for custom names without a region', async () => {
    plant(6 * HOUR);
    expect(get(`${ECR_HOST}.evil.test`)).toEqual(MISS);
    expect(get('ghcr.io')).toEqual(MISS);
    await writeFile(env['ECR_AUTH_CONFIG'] ?? '', JSON.stringify({ registries: { 'mirror.example.com': { accountId: '123456789012' } } }));
    expect(get('mirror.example.com')).toEqual(MISS);
  });

  it('a custom name with a region is served from that region\'s scope', async () => {
    await writeFile(env['ECR_AUTH_CONFIG'] ?? '', JSON.stringify({ registries: { 'mirror.example.com': { region: 'us-east-1' } } }));
    plant(6 * HOUR);
    expect(get('mirror.example.com')).toEqual(answer('mirror.example.com'));
  });

  it('an invalid configuration file: the not-found answer naming the problem, even with a warm cache', async () => {
    plant(6 * HOUR);
    await writeFile(env['ECR_AUTH_CONFIG'] ?? '', '{"region": 5}');
    const config = env['ECR_AUTH_CONFIG'] ?? '';
    expect(get(ECR_HOST)).toEqual({ stdout: MISS.stdout, stderr: `ecr-auth: ${config}.region must be a non-empty string\n`, code: 1 });
  });

  it('a FIPS host is served from the FIPS scope only', () => {
    plant(6 * HOUR);
    expect(get(FIPS_HOST)).toEqual({ serverUrl: FIPS_HOST, host: FIPS_HOST });
    plant(6 * HOUR, 'fips-password', scopeOf('us-east-1', { fips: true }), FIPS_HOST);
    expect(get(FIPS_HOST)).toEqual(answer(FIPS_HOST, 'fips-password'));
    expect(scopeOfPlaced(placeRegistry(FIPS_HOST, {}), env)).toEqual(scopeOf('us-east-1', { fips: true }));
    // A custom name has no variant of its own.
    expect(scopeOfPlaced(placeRegistry('mirror.example.com', { registries: { 'mirror.example.com': { region: 'us-east-1' } } }), { ...env, AWS_USE_FIPS_ENDPOINT: 'false' })?.endpoint).toBe('aws');
  });

  it('inside the refresh window: the valid token, plus a background renewal unless one runs or a failure cools down', async () => {
    plant(20 * 60_000);
    expect(get(ECR_HOST)).toEqual({ ...answer(ECR_HOST), refreshInBackground: ECR_HOST });
    // Someone holds the fetch lock: they renew it.
    const lock = tryAcquireLock(fetchLockPath(dir, scopeOf()));
    expect(lock).toBeDefined();
    expect(get(ECR_HOST)).toEqual(answer(ECR_HOST));
    lock?.release();
    expect(get(ECR_HOST)).toEqual({ ...answer(ECR_HOST), refreshInBackground: ECR_HOST });
    // A lock that cannot be read (a folder): renewal left to whoever can.
    await mkdir(fetchLockPath(dir, scopeOf()));
    expect(get(ECR_HOST)).toEqual(answer(ECR_HOST));
    await rm(fetchLockPath(dir, scopeOf()), { recursive: true });
    // A failure cooling down: no renewal now.
    recordFailure(dir, scopeOf(), 'ecr-auth: throttled');
    expect(get(ECR_HOST)).toEqual(answer(ECR_HOST));
    expect(REFRESH_COMMAND).toBe('refresh-in-background');
    expect(NOT_FOUND).toBe('credentials not found in native keychain');
  });
});

describe('list', () => {
  const listed = (e: Env = env) => {
    const result = runFast('list', e, () => '');
    expect(result).toMatchObject({ stdout: expect.stringMatching(/^\{.*\}\n$/), stderr: '', code: 0 });
    return JSON.parse((result as { stdout: string }).stdout) as Record<string, string>;
  };

  it('exactly the registries get would answer from the cache', async () => {
    expect(runFast('list', env, () => '')).toEqual({ stdout: '{}\n', stderr: '', code: 0 });
    plant(20 * 60_000);
    plant(6 * HOUR, 'p', scopeOf('eu-west-1'), '123456789012.dkr.ecr.eu-west-1.amazonaws.com');
    writeCachedToken(dir, scopeOf('eu-central-1'), { username: 'AWS', password: 'p', registry: '123456789012.dkr.ecr.eu-central-1.amazonaws.com', region: 'eu-central-1', kind: 'private', fetchedAt: Date.now() - 12 * HOUR + 60_000, expiresAt: Date.now() + 60_000, clockOffsetMs: 0 });
    expect(listed()).toEqual({ [ECR_HOST]: 'AWS', '123456789012.dkr.ecr.eu-west-1.amazonaws.com': 'AWS' });
    // Another identity's environment reads other scopes: nothing to list.
    expect(listed({ ...env, AWS_PROFILE: 'other' })).toEqual({});
    expect(listed({ ...env, ECR_AUTH_NO_CACHE: 'true' })).toEqual({});
  });

  it('skips records it cannot place or read: torn, without a registry, a name not ECR\'s, a record under another scope\'s name', async () => {
    plant(6 * HOUR);
    const name = (n: number) => `${String(n).repeat(32)}.json`;
    await writeFile(join(dir, name(1)), '{"registry": ', { mode: 0o600 });
    await writeFile(join(dir, name(2)), JSON.stringify({ registry: 42 }), { mode: 0o600 });
    await writeFile(join(dir, name(3)), JSON.stringify({ registry: 'ghcr.io' }), { mode: 0o600 });
    await writeFile(join(dir, name(4)), readFileSync(join(dir, cacheFileName(scopeOf())), 'utf8').replace(/us-east-1/g, 'us-west-2'), { mode: 0o600 });
    await writeFile(env['ECR_AUTH_CONFIG'] ?? '', JSON.stringify({ registries: { 'mirror.example.com': { accountId: '123456789012' } } }));
    await writeFile(join(dir, name(5)), JSON.stringify({ registry: 'mirror.example.com' }), { mode: 0o600 });
    expect(listed()).toEqual({ [ECR_HOST]: 'AWS' });
  });

  it('an invalid configuration file lists nothing', async () => {
    plant(6 * HOUR);
    await writeFile(env['ECR_AUTH_CONFIG'] ?? '', 'not json');
    expect(runFast('list', env, () => '')).toEqual({ stdout: '{}\n', stderr: '', code: 0 });
  });
});

describe('store and erase', () => {
  const creds = (server: unknown) => JSON.stringify({ ServerURL: server, Username: 'me', Secret: 'store-secret' });
  const refused = (server: string) => ({
    stdout:
      `ecr-auth cannot store credentials for ${JSON.stringify(server.slice(0, 200))}: it only serves AWS ECR registries. ` +
      'Name it in "credHelpers" for ECR hosts instead of "credsStore" (or set AWS_ECR_IGNORE_CREDS_STORAGE=true to drop them).\n',
    stderr: '',
    code: 1,
  });
  const OK = { stdout: '', stderr: '', code: 0 };

  it('store: a no-op for ECR hosts, refused for others, checked input', async () => {
    expect(runFast('store', env, () => creds(ECR_HOST))).toEqual(OK);
    expect(runFast('store', env, () => creds('ghcr.io'))).toEqual(refused('ghcr.io'));
    const long = `${'a'.repeat(250)}.example.com`;
    expect(runFast('store', env, () => creds(long))).toEqual(refused(long));
    expect(runFast('store', env, () => 'not json')).toEqual({
      stdout: 'ecr-auth: store expects the credentials as JSON on stdin ({"ServerURL": ..., "Username": ..., "Secret": ...})\n',
      stderr: '',
      code: 1,
    });
    for (const server of [undefined, 42, '', '  ']) {
      expect(runFast('store', env, () => creds(server)), String(server)).toEqual({ stdout: 'ecr-auth: store needs a ServerURL\n', stderr: '', code: 1 });
    }
    expect(runFast('store', { ...env, AWS_ECR_IGNORE_CREDS_STORAGE: 'true' }, () => creds('ghcr.io'))).toEqual(OK);
    expect(runFast('store', { ...env, AWS_ECR_IGNORE_CREDS_STORAGE: 'false' }, () => creds('ghcr.io'))).toEqual(refused('ghcr.io'));
    await writeFile(env['ECR_AUTH_CONFIG'] ?? '', 'not json');
    expect(runFast('store', env, () => creds(ECR_HOST))).toEqual(refused(ECR_HOST));
  });

  it('erase: nothing to forget for ECR hosts; the not-found answer for others', async () => {
    expect(runFast('erase', env, () => `${ECR_HOST}\n`)).toEqual(OK);
    expect(runFast('erase', env, () => 'ghcr.io\n')).toEqual(MISS);
    // Blanks that only String.prototype.trim knows (vertical tab, no-break space) are dropped too.
    expect(runFast('erase', env, () => `\v\u00a0${ECR_HOST}\u00a0`)).toEqual(OK);
    expect(runFast('erase', { ...env, AWS_ECR_IGNORE_CREDS_STORAGE: 'true' }, () => 'ghcr.io')).toEqual(OK);
    expect(runFast('erase', { ...env, AWS_ECR_IGNORE_CREDS_STORAGE: '1' }, () => 'ghcr.io')).toEqual(MISS);
    await writeFile(env['ECR_AUTH_CONFIG'] ?? '', 'not json');
    // (get names the problem; erase only answers.)
    expect(runFast('erase', env, () => ECR_HOST)).toEqual(MISS);
  });
});

describe('version and usage', () => {
  it('version, --version and -v print the package version', () => {
    expect(version()).toBe(VERSION);
    for (const command of ['version', '--version', '-v']) {
      expect(runFast(command, env, () => '')).toEqual({ stdout: `docker-credential-ecr-auth ${VERSION}\n`, stderr: '', code: 0 });
    }
  });

  it('usage on stderr: exit 0 for --help and -h, 1 otherwise (nothing read from stdin)', () => {
    const usage = 'Usage: docker-credential-ecr-auth get|list|store|erase|version\n(a Docker credential helper for AWS ECR; see ecr-auth --help)\n';
    const stdin = () => {
      throw new Error('stdin read');
    };
    for (const command of ['--help', '-h']) expect(runFast(command, env, stdin)).toEqual({ stdout: '', stderr: usage, code: 0 });
    for (const command of [undefined, 'bogus', '', 'GET', 'help']) expect(runFast(command, env, stdin)).toEqual({ stdout: '', stderr: usage, code: 1 });
  });
});
