// docker-credential-ecr-auth: protocol answers, the persistent cache, and failing fast.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS, type Emulator } from '@ecr-auth/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordOutput } from '../../../test-support/leaks.ts';
import { ECR_HOST, helper, isolatedEnv, useCliWorld, writeConfig } from './support.ts';

const NOT_FOUND = 'credentials not found in native keychain\n';
const calls = (emulator: Emulator) => emulator.stats().requests['ecr:GetAuthorizationToken'];

describe('docker-credential-ecr-auth', () => {
  const world = useCliWorld({
      password: 'helper-password-2b8e41d0',
      credentials: [DEFAULT_CREDENTIALS, { accessKeyId: 'ASIAEXAMPLEROTATING1', secretAccessKey: 'session-secret-1', sessionToken: 'session-token-1' }],
    });
  let emulator: Emulator;
  let home: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    ({ emulator, home, env } = world());
  });

  it('get: answers from ECR on a miss, then from the cache without an API call', async () => {
    const first = await helper('get', ECR_HOST, env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ ServerURL: ECR_HOST, Username: 'AWS', Secret: 'helper-password-2b8e41d0' });
    expect(first.stderr).toBe('');
    expect(calls(emulator)).toBe(1);
    const second = await helper('get', `https://${ECR_HOST}`, env);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ ServerURL: `https://${ECR_HOST}`, Secret: 'helper-password-2b8e41d0' });
    // Another registry of the same region shares the token: still no API call.
    const other = await helper('get', '999999999999.dkr.ecr.us-east-1.amazonaws.com', env);
    expect(other.code).toBe(0);
    expect(calls(emulator)).toBe(1);
    // Negative control: another region is another token.
    const otherRegion = await helper('get', '123456789012.dkr.ecr.eu-west-1.amazonaws.com', env);
    expect(otherRegion.code).toBe(0);
    expect(calls(emulator)).toBe(2);
  });

  it('the cache: folder 0700, files 0600, hashed names with no secret or key id, shared by every temporary key', async () => {
    expect((await helper('get', ECR_HOST, env)).code).toBe(0);
    const dir = join(home, '.cache', 'ecr-auth');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const names = await readdir(dir);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^[0-9a-f]{32}\.json$/);
    expect((await stat(join(dir, names[0] ?? ''))).mode & 0o777).toBe(0o600);
    // Temporary credentials rotate their key id: a new session key still hits the same entry.
    const sessionEnv = { ...env, AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEROTATING1', AWS_SECRET_ACCESS_KEY: 'session-secret-1', AWS_SESSION_TOKEN: 'session-token-1' };
    const fetched = await helper('get', ECR_HOST, sessionEnv);
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(calls(emulator)).toBe(2);
    const sessionNames = await readdir(dir);
    expect(sessionNames).toHaveLength(2);
    // The next session's keys are unknown to the emulator: an answer proves it came from the cache.
    const rotated = { ...sessionEnv, AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEROTATING2', AWS_SECRET_ACCESS_KEY: 'session-secret-2', AWS_SESSION_TOKEN: 'session-token-2' };
    const again = await helper('get', ECR_HOST, rotated);
    expect(again.code, again.stderr).toBe(0);
    expect(calls(emulator)).toBe(2);
    expect(await readdir(dir)).toEqual(sessionNames);
    // Negative control: with no cached token, those keys do fail.
    const fresh = await helper('get', ECR_HOST, { ...rotated, XDG_CACHE_HOME: join(home, 'other-cache') });
    expect(fresh.code).toBe(1);
    for (const name of await readdir(dir)) expect(name).not.toMatch(/AKIA|ASIA|helper-password/);
  });

  it('never returns an expired token (or one inside the safety margin): it fetches a new one', async () => {
    expect((await helper('get', ECR_HOST, env)).code).toBe(0);
    const dir = join(home, '.cache', 'ecr-auth');
    const [name] = await readdir(dir);
    const file = join(dir, name ?? '');
    const cached = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    const expiring = { ...cached, password: 'stale-password-should-not-be-used', fetchedAt: Date.now() - 12 * 3_600_000 + 60_000, expiresAt: Date.now() + 60_000 };
    await writeFile(file, JSON.stringify(expiring));
    const answer = await helper('get', ECR_HOST, env);
    expect(answer.code).toBe(0);
    expect(JSON.parse(answer.stdout).Secret).toBe('helper-password-2b8e41d0');
    expect(calls(emulator)).toBe(2);
    // And when ECR cannot be reached, the expired token is still not returned.
    await writeFile(file, JSON.stringify(expiring));
    emulator.injectFault({ kind: 'server-error', count: 100 });
    const offline = await helper('get', ECR_HOST, { ...env, ECR_AUTH_TIMEOUT_MS: '1500' });
    emulator.clearFaults();
    expect(offline.code).toBe(1);
    expect(offline.stdout).toBe(NOT_FOUND);
  });

  it('concurrent misses make one API call: the others wait for the first fetch', async () => {
    emulator.injectFault({ kind: 'delay', ms: 700 });
    const answers = await Promise.all(Array.from({ length: 6 }, () => helper('get', ECR_HOST, env)));
    for (const answer of answers) {
      expect(answer.code, answer.stderr).toBe(0);
      expect(JSON.parse(answer.stdout).Secret).toBe('helper-password-2b8e41d0');
    }
    expect(calls(emulator)).toBe(1);
    expect((await readdir(join(home, '.cache', 'ecr-auth'))).filter((name) => name.endsWith('.lock'))).toEqual([]);
  });

  it('non-ECR hosts and empty input get the not-found answer at once, without an API call', async () => {
    for (const input of ['registry.example.com', 'docker.io', '']) {
      const answer = await helper('get', input, env);
      expect(answer.code).toBe(1);
      expect(answer.stdout).toBe(NOT_FOUND);
    }
    expect(calls(emulator)).toBe(0);
  });

  it('a custom host name mapped in the configuration file gets the token of its region', async () => {
    await writeConfig(home, { registries: { 'registry.internal.example:5000': { region: 'us-east-1', accountId: '123456789012' } } });
    const answer = await helper('get', 'registry.internal.example:5000', env);
    expect(answer.code, answer.stderr).toBe(0);
    expect(JSON.parse(answer.stdout)).toEqual({ ServerURL: 'registry.internal.example:5000', Username: 'AWS', Secret: 'helper-password-2b8e41d0' });
    // Negative control: an unmapped custom name is not ours.
    expect((await helper('get', 'other.internal.example:5000', env)).stdout).toBe(NOT_FOUND);
  });

  it('store and erase succeed for docker login/logout, list names cached registries, version prints', async () => {
    const store = await helper('store', JSON.stringify({ ServerURL: ECR_HOST, Username: 'AWS', Secret: 'whatever' }), env);
    expect(store.code).toBe(0);
    expect(store.stdout).toBe('');
    expect((await helper('erase', ECR_HOST, env)).code).toBe(0);
    expect(JSON.parse((await helper('list', '', env)).stdout)).toEqual({});
    await helper('get', ECR_HOST, env);
    expect(JSON.parse((await helper('list', '', env)).stdout)).toEqual({ [ECR_HOST]: 'AWS' });
    expect((await helper('version', '', env)).stdout).toMatch(/^docker-credential-ecr-auth \d+\.\d+\.\d+/);
    expect((await helper('bogus', '', env)).code).toBe(1);
  });

  describe('fails fast with the not-found answer', () => {
    let blackhole: Server;
    let blackholePort = 0;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      // Accepts connections and never answers: a network that hangs.
      blackhole = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
      blackholePort = (blackhole.address() as { port: number }).port;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackhole.close(resolve));
    });

    it('no credentials', async () => {
      const noCreds = isolatedEnv(home, undefined, { AWS_ENDPOINT_URL_ECR: emulator.url, AWS_REGION: 'us-east-1' });
      const answer = await helper('get', ECR_HOST, noCreds);
      expect(answer.code).toBe(1);
      expect(answer.stdout).toBe(NOT_FOUND);
      expect(answer.stderr).toMatch(/no AWS credentials/);
      expect(answer.ms).toBeLessThan(5_000);
    });

    it('connection refused', async () => {
      const answer = await helper('get', ECR_HOST, { ...env, AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:9', ECR_AUTH_TIMEOUT_MS: '2000' });
      expect(answer.code).toBe(1);
      expect(answer.stdout).toBe(NOT_FOUND);
      expect(answer.ms).toBeLessThan(6_000);
    });

    it('a network that never answers: bounded by ECR_AUTH_TIMEOUT_MS', async () => {
      const answer = await helper('get', ECR_HOST, { ...env, AWS_ENDPOINT_URL_ECR: `http://127.0.0.1:${blackholePort}`, ECR_AUTH_TIMEOUT_MS: '1500' }, 20_000);
      expect(answer.code).toBe(1);
      expect(answer.stdout).toBe(NOT_FOUND);
      expect(answer.ms).toBeLessThan(5_000);
      recordOutput(answer.stderr);
    });

    it('access denied', async () => {
      emulator.injectFault({ kind: 'access-denied', count: 10 });
      const answer = await helper('get', ECR_HOST, env);
      expect(answer.code).toBe(1);
      expect(answer.stdout).toBe(NOT_FOUND);
      expect(answer.stderr).toMatch(/access denied/);
      expect(answer.ms).toBeLessThan(5_000);
    });
  });
});
