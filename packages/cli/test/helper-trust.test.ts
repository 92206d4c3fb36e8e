// docker-credential-ecr-auth under hostile conditions: lookalike hosts with a warm cache, planted cache records,
// ECR throttling inside the refresh window, a killed helper's lock, and the store/erase/list semantics.
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { DEFAULT_CREDENTIALS, type Emulator } from '@ecr-auth/emulator';
import { parseRegistry } from 'ecr-auth';
import { beforeEach, describe, expect, it } from 'vitest';
import { PEER_REGISTRY_CASES } from '../../ecr-auth/test/fixtures/peer-registry-cases.ts';
import { runFast } from '../src/helper-fast.ts';
import { cacheDir, cacheScope, writeCachedToken } from '../src/token-cache.ts';
import { ECR_HOST, helper, REPO_ROOT, useCliWorld, writeConfig } from './support.ts';

const NOT_FOUND = 'credentials not found in native keychain\n';
const PASSWORD = 'trust-test-password-7f31c2';
const calls = (emulator: Emulator) => emulator.stats().requests['ecr:GetAuthorizationToken'];
const HOUR = 3_600_000;

/** The pattern the helper's start-up path used before: "a superset of what parseRegistry accepts". It leaked. */
const LEAKY_PATTERN = /^(\d{12})\.dkr(?:\.ecr|-ecr)(?:-fips)?\.([a-z0-9-]+)\.[a-z0-9.-]+$/;

async function cacheFiles(home: string): Promise<string[]> {
  return readdir(join(home, '.cache', 'ecr-auth')).catch(() => []);
}

/** Rewrites the one token record of a home with plausible times and a marked password. */
async function plantRecord(home: string, fields: { fetchedAt: number; expiresAt: number; password: string }): Promise<void> {
  const dir = join(home, '.cache', 'ecr-auth');
  const name = (await readdir(dir)).find((n) => /^[0-9a-f]{32}\.json$/.test(n)) ?? '';
  const record = JSON.parse(await readFile(join(dir, name), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, name), JSON.stringify({ ...record, ...fields }), { mode: 0o600 });
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('docker-credential-ecr-auth: who gets a token', () => {
  const world = useCliWorld({ password: PASSWORD, credentials: [DEFAULT_CREDENTIALS] });
  let emulator: Emulator;
  let home: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    ({ emulator, home, env } = world());
  });

  it('with a warm cache, lookalike hosts get the not-found answer and no API call (the reported leak)', async () => {
    expect((await helper('get', ECR_HOST, env)).code).toBe(0);
    expect(calls(emulator)).toBe(1);
    const lookalikes = [
      `${ECR_HOST}.lookalike.test`,
      `https://${ECR_HOST}.lookalike.test/v2/`,
      `${ECR_HOST}:8443`,
      `https://evil.test@${ECR_HOST}`,
      '123456789012.dkr.ecr.us-east-1.amazonaws.co',
      '123456789012.dkr-ecr.us-east-1.amazonaws.com',
    ];
    for (const host of lookalikes) {
      // The negative control for the fix: the old start-up pattern accepted the first ones.
      const answer = await helper('get', host, env);
      expect(answer.stdout, host).toBe(NOT_FOUND);
      expect(answer.code, host).toBe(1);
      expect(answer.stdout + answer.stderr).not.toContain(PASSWORD);
    }
    expect(lookalikes.filter((h) => LEAKY_PATTERN.test(h.replace(/^https:\/\//, '').replace(/\/.*$/, ''))).length).toBeGreaterThanOrEqual(2);
    // The same registry written with :443 or as a URL is the same registry.
    for (const same of [`${ECR_HOST}:443`, `https://${ECR_HOST}:443/v2/`]) {
      const answer = await helper('get', same, env);
      expect(answer.code, same).toBe(0);
      expect(JSON.parse(answer.stdout)).toEqual({ ServerURL: same, Username: 'AWS', Secret: PASSWORD });
    }
    expect(calls(emulator)).toBe(1);
  });

  it('the start-up path answers exactly what parseRegistry accepts, with every cache warm (property, and the peers\' table)', async () => {
    const testEnv = { ...env, AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_ECR_PUBLIC: 'http://127.0.0.1:9' };
    const dir = cacheDir(testEnv);
    const now = Date.now();
    const regions = ['us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1'];
    for (const region of regions) {
      const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
      const registry = `123456789012.dkr.ecr.${region}.${suffix}`;
      writeCachedToken(dir, cacheScope({ kind: 'private', region }, testEnv), { username: 'AWS', password: PASSWORD, registry, region, accountId: '123456789012', kind: 'private', fetchedAt: now, expiresAt: now + 11 * HOUR, clockOffsetMs: 0 });
    }
    writeCachedToken(dir, cacheScope({ kind: 'public', region: 'us-east-1' }, testEnv), { username: 'AWS', password: PASSWORD, registry: 'public.ecr.aws', region: 'us-east-1', kind: 'public', fetchedAt: now, expiresAt: now + 11 * HOUR, clockOffsetMs: 0 });
    const answers = (input: string): boolean => {
      const result = runFast('get', testEnv, () => input);
      return 'code' in result && result.code === 0;
    };
    const strictRegion = (input: string): string | undefined => {
      try {
        return parseRegistry(input.trim()).region;
      } catch {
        return undefined;
      }
    };
    const hosts = regions.map((r) => `123456789012.dkr.ecr.${r}.${r.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`).concat('public.ecr.aws');
    const lookalike = fc.tuple(
      fc.constantFrom(...hosts),
      fc.constantFrom('', 'https://', 'http://', 'HTTPS://', 'user@', 'https://x@', '//'),
      fc.constantFrom('', '.', '.lookalike.test', '.evil', 'm', '-fips', '.amazonaws.com', '\u3002evil.test', '%2e', '\u0000', ' evil'),
      fc.constantFrom('', ':443', ':444', ':5000', ':', ':0443'),
      fc.constantFrom('', '/', '/v2/', '/app:v1', '@evil.test', '?x=1', '#frag', '\\evil'),
      fc.boolean(),
    ).map(([host, scheme, tail, port, path, upper]) => {
      const s = `${scheme}${host}${tail}${port}${path}`;
      return upper ? s.toUpperCase() : s;
    });
    const noise = fc.oneof(fc.string(), fc.webUrl(), fc.domain());
    let leakyAccepted = 0;
    fc.assert(
      fc.property(fc.oneof(lookalike, lookalike, noise), (input) => {
        const strict = strictRegion(input);
        // With every scope warm, an accepted name is answered iff its region's cache is warm.
        expect(answers(input), JSON.stringify(input)).toBe(strict !== undefined && regions.includes(strict));
        const bare = input.replace(/^[a-z]+:\/\//i, '').split('/')[0]?.toLowerCase() ?? '';
        if (LEAKY_PATTERN.test(bare) && strict === undefined) leakyAccepted += 1;
      }),
      { numRuns: 3000 },
    );
    // Negative control: the generated names include many that the old leaky pattern answered.
    expect(leakyAccepted).toBeGreaterThan(20);
    for (const row of PEER_REGISTRY_CASES) {
      const strict = strictRegion(row.input);
      expect(answers(row.input), `${row.source}: ${JSON.stringify(row.input)}`).toBe(row.ecr && strict !== undefined && regions.includes(strict));
    }
  });

  it('custom hosts only from the configuration file, and only as mapped', async () => {
    await writeConfig(home, { region: 'us-east-1', registries: { 'mirror.internal.example': { accountId: '123456789012' }, '*.example.org': { profile: 'x' } } });
    expect((await helper('get', 'mirror.internal.example', env)).code).toBe(0);
    for (const host of ['mirror.internal.example.evil.test', 'evil.internal.example', 'a.example.org', 'mirror.internal.example:5000']) {
      expect((await helper('get', host, env)).stdout, host).toBe(NOT_FOUND);
    }
    expect(calls(emulator)).toBe(1);
  });

  it('planted records are never served or written: a forged expiry is a miss that asks ECR', async () => {
    expect((await helper('get', ECR_HOST, env)).code).toBe(0);
    await plantRecord(home, { fetchedAt: Date.UTC(9999, 0, 1) - 12 * HOUR, expiresAt: Date.UTC(9999, 0, 1), password: 'planted-password' });
    const answer = await helper('get', ECR_HOST, env);
    expect(answer.code, answer.stderr).toBe(0);
    expect(JSON.parse(answer.stdout).Secret).toBe(PASSWORD);
    expect(calls(emulator)).toBe(2);
    // login writes the real token too.
    await plantRecord(home, { fetchedAt: Date.UTC(9999, 0, 1) - 12 * HOUR, expiresAt: Date.UTC(9999, 0, 1), password: 'planted-password' });
    const { ecrAuth } = await import('./support.ts');
    const login = await ecrAuth(['login', ECR_HOST], env);
    expect(login.code, login.stderr).toBe(0);
    const config = await readFile(join(home, '.docker', 'config.json'), 'utf8');
    expect(config).toContain(Buffer.from(`AWS:${PASSWORD}`).toString('base64'));
    expect(config).not.toContain(Buffer.from('AWS:planted-password').toString('base64'));
    // Negative control: a plausible record (what we would have written) is served without a call.
    await plantRecord(home, { fetchedAt: Date.now() - HOUR, expiresAt: Date.now() + 10 * HOUR, password: 'plausible-password' });
    expect(JSON.parse((await helper('get', ECR_HOST, env)).stdout).Secret).toBe('plausible-password');
    expect(calls(emulator)).toBe(3);
  });

  it('inside the refresh window: every get answers from the valid token at once, and one detached process renews it', async () => {
    expect((await helper('get', ECR_HOST, env)).code).toBe(0);
    await plantRecord(home, { fetchedAt: Date.now() - 11.6 * HOUR, expiresAt: Date.now() + 20 * 60_000, password: 'old-but-valid' });
    emulator.injectFault({ kind: 'delay', ms: 600 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => helper('get', ECR_HOST, env)));
    for (const answer of answers) {
      expect(answer.code, answer.stderr).toBe(0);
      expect(JSON.parse(answer.stdout).Secret).toBe('old-but-valid');
    }
    await waitFor(async () => (await helper('get', ECR_HOST, env)).stdout.includes(PASSWORD), 'the background renewal');
    await waitFor(async () => !(await cacheFiles(home)).some((n) => n.endsWith('.lock')), 'the lock to be released');
    expect(calls(emulator)).toBe(2);
  });

  it('under throttling inside the refresh window: 20 gets answer the valid token, at most one fetch runs, failures cool down for every process', async () => {
    expect((await helper('get', ECR_HOST, env)).code).toBe(0);
    await plantRecord(home, { fetchedAt: Date.now() - 11.6 * HOUR, expiresAt: Date.now() + 20 * 60_000, password: 'old-but-valid' });
    emulator.injectFault({ kind: 'throttle', count: 10_000 });
    const slowEnv = { ...env, ECR_AUTH_TIMEOUT_MS: '2000' };
    for (let i = 0; i < 20; i++) {
      const answer = await helper('get', ECR_HOST, slowEnv);
      expect(answer.code, answer.stderr).toBe(0);
      expect(JSON.parse(answer.stdout).Secret).toBe('old-but-valid');
    }
    await waitFor(async () => (await cacheFiles(home)).some((n) => n.endsWith('.cooldown.json')), 'the cooldown record');
    await waitFor(async () => !(await cacheFiles(home)).some((n) => n.endsWith('.lock')), 'the lock to be released');
    const afterRefresh = calls(emulator);
    // One refresher's attempts (the retry budget), not one set per get: 20 gets used to cost 100 calls.
    expect(afterRefresh).toBeGreaterThan(1);
    expect(afterRefresh).toBeLessThanOrEqual(1 + 5 * 2);
    // A cold get of the same scope while the cooldown is in force asks nobody.
    await plantRecord(home, { fetchedAt: Date.now() - 12 * HOUR + 60_000, expiresAt: Date.now() + 60_000, password: 'expiring' });
    const cold = await helper('get', ECR_HOST, slowEnv);
    expect(cold.stdout).toBe(NOT_FOUND);
    expect(cold.stderr).toMatch(/not asking ECR again before .*throttl/i);
    expect(calls(emulator)).toBe(afterRefresh);
  });

  it('a killed helper\'s fetch lock does not stall the next get; a live holder\'s lock is respected', async () => {
    const dir = join(home, '.cache', 'ecr-auth');
    const scope = cacheScope({ kind: 'private', region: 'us-east-1' }, env);
    const { fetchLockPath, ensureCacheDir } = await import('../src/token-cache.ts');
    ensureCacheDir(dir);
    const lockPath = fetchLockPath(dir, scope);
    const holder = (keep: boolean) =>
      spawn(process.execPath, ['--input-type=module', '-e', `import { tryAcquireLock } from ${JSON.stringify(join(REPO_ROOT, 'packages/auth-file/dist/index.js'))}; const l = tryAcquireLock(${JSON.stringify(lockPath)}); if (!l) process.exit(3); console.log('locked'); ${keep ? 'setInterval(() => {}, 1000);' : 'process.kill(process.pid, "SIGKILL");'}`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const dead = holder(false);
    await new Promise((resolve) => dead.once('exit', resolve));
    expect((await cacheFiles(home)).some((n) => n.endsWith('.lock'))).toBe(true);
    const shortEnv = { ...env, ECR_AUTH_TIMEOUT_MS: '2500' };
    const answer = await helper('get', ECR_HOST, shortEnv);
    expect(answer.code, answer.stderr).toBe(0);
    expect(calls(emulator)).toBe(1);
    // Negative control: while a live process holds the lock, a cold get waits for its token and gives up at the deadline.
    await plantRecord(home, { fetchedAt: Date.now() - 12 * HOUR + 60_000, expiresAt: Date.now() + 60_000, password: 'expiring' });
    const live = holder(true);
    await new Promise((resolve) => live.stdout?.once('data', resolve));
    const blocked = await helper('get', ECR_HOST, { ...env, ECR_AUTH_TIMEOUT_MS: '1000' });
    live.kill('SIGKILL');
    expect(blocked.code).toBe(1);
    expect(calls(emulator)).toBe(1);
  });

  it('store refuses non-ECR hosts (one line, exit 1) and is a no-op for ECR hosts; AWS_ECR_IGNORE_CREDS_STORAGE drops everything', async () => {
    const creds = (server: string) => JSON.stringify({ ServerURL: server, Username: 'me', Secret: 'ghcr-secret' });
    const ecr = await helper('store', creds(ECR_HOST), env);
    expect([ecr.code, ecr.stdout]).toEqual([0, '']);
    const ghcr = await helper('store', creds('ghcr.io'), env);
    expect(ghcr.code).toBe(1);
    expect(ghcr.stdout.trim().split('\n')).toHaveLength(1);
    expect(ghcr.stdout).toMatch(/cannot store credentials for "ghcr\.io"/);
    expect(ghcr.stdout + ghcr.stderr).not.toContain('ghcr-secret');
    expect((await helper('store', creds(`${ECR_HOST}.evil.test`), env)).code).toBe(1);
    expect((await helper('store', 'not json', env)).code).toBe(1);
    const ignored = await helper('store', creds('ghcr.io'), { ...env, AWS_ECR_IGNORE_CREDS_STORAGE: 'true' });
    expect([ignored.code, ignored.stdout]).toEqual([0, '']);
    expect((await helper('erase', ECR_HOST, env)).code).toBe(0);
    expect((await helper('erase', 'ghcr.io', env)).stdout).toBe(NOT_FOUND);
    expect((await helper('erase', 'ghcr.io', { ...env, AWS_ECR_IGNORE_CREDS_STORAGE: 'true' })).code).toBe(0);
  });

  it('list shows only what get would answer; version, --version and -v print the version', async () => {
    expect(JSON.parse((await helper('list', '', env)).stdout)).toEqual({});
    await helper('get', ECR_HOST, env);
    expect(JSON.parse((await helper('list', '', env)).stdout)).toEqual({ [ECR_HOST]: 'AWS' });
    // Another identity would not be answered from this record: not listed.
    expect(JSON.parse((await helper('list', '', { ...env, AWS_PROFILE: 'other', AWS_ACCESS_KEY_ID: '' })).stdout)).toEqual({});
    // An implausible record is not listed either.
    await plantRecord(home, { fetchedAt: Date.UTC(9999, 0, 1) - HOUR, expiresAt: Date.UTC(9999, 0, 1), password: 'planted' });
    expect(JSON.parse((await helper('list', '', env)).stdout)).toEqual({});
    for (const flag of ['version', '--version', '-v']) {
      const answer = await helper(flag, '', env);
      expect(answer.code, flag).toBe(0);
      expect(answer.stdout).toMatch(/^docker-credential-ecr-auth \d+\.\d+\.\d+/);
    }
  });

  it('AWS_ECR_DISABLE_CACHE and AWS_ECR_CACHE_DIR work as in amazon-ecr-credential-helper', async () => {
    const disabled = { ...env, AWS_ECR_DISABLE_CACHE: 'true' };
    expect((await helper('get', ECR_HOST, disabled)).code).toBe(0);
    expect((await helper('get', ECR_HOST, disabled)).code).toBe(0);
    expect(calls(emulator)).toBe(2);
    expect(await cacheFiles(home)).toEqual([]);
    const elsewhere = join(home, 'ecr-cache');
    const moved = { ...env, AWS_ECR_CACHE_DIR: elsewhere };
    expect((await helper('get', ECR_HOST, moved)).code).toBe(0);
    expect((await helper('get', ECR_HOST, moved)).code).toBe(0);
    expect(calls(emulator)).toBe(3);
    expect((await readdir(elsewhere)).filter((n) => n.endsWith('.json'))).toHaveLength(1);
  });
});
