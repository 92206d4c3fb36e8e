// `ecr-auth`: exit codes and messages of the error paths, the persistent cache for cron-style logins, and
// that no secret reaches stderr, --json, --debug logs or the output of login.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Emulator } from '@ecr-auth/emulator';
import { beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { recordOutput } from '../../../test-support/leaks.ts';
import { ECR_AUTH_BIN, ECR_HOST, ecrAuth, isolatedEnv, start, useCliWorld, writeConfig } from './support.ts';

const PASSWORD = 'cli-password-a41f0c3d92';
const calls = (emulator: Emulator) => emulator.stats().requests['ecr:GetAuthorizationToken'];

describe('ecr-auth', () => {
  const world = useCliWorld({ password: PASSWORD });
  let emulator: Emulator;
  let home: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    ({ emulator, home, env } = world());
  });

  it('login with no registry writes the caller\'s own registry into Docker\'s default config, one line per file, no password', async () => {
    const result = await ecrAuth(['login'], env);
    expect(result.code, result.stderr).toBe(0);
    const file = join(home, '.docker', 'config.json');
    expect(result.stdout).toMatch(new RegExp(`^docker: ${file}: ${ECR_HOST.replaceAll('.', '\\.')} \\(expires \\d{4}-\\d\\d-\\d\\dT[^)]+\\)\\n$`));
    expect(result.stderr).toBe('');
    const written = JSON.parse(await readFile(file, 'utf8')) as { auths: Record<string, { auth: string }> };
    expect(Buffer.from(written.auths[ECR_HOST]?.auth ?? '', 'base64').toString()).toBe(`AWS:${PASSWORD}`);
    expect(result.stdout).not.toContain(PASSWORD);
  });

  it('login with no registry refuses a host in ECR\'s answer that is not an ECR registry of the region: nothing written, --watch too', async () => {
    const spoofing = await startTestEmulator({ password: PASSWORD, proxyEndpoint: 'https://anything.example' });
    try {
      const spoofEnv = isolatedEnv(home, spoofing);
      const file = join(home, '.docker', 'config.json');
      const result = await ecrAuth(['login'], spoofEnv);
      expect(result.code).toBe(6);
      expect(result.stderr).toMatch(/proxy endpoint host "anything\.example", which is not an ECR registry in us-east-1/);
      await expect(readFile(file, 'utf8')).rejects.toThrow(/ENOENT/);
      const watch = await ecrAuth(['login', '--watch', '--json'], { ...spoofEnv, ECR_AUTH_TIMEOUT_MS: '1000' }, { timeoutMs: 4_000 });
      expect(watch.stdout).not.toContain('anything.example"');
      await expect(readFile(file, 'utf8')).rejects.toThrow(/ENOENT/);
      // Negative control: an honest endpoint of the same shape is written.
      expect((await ecrAuth(['login', '--quiet'], env)).code).toBe(0);
      expect(JSON.parse(await readFile(file, 'utf8')).auths).toHaveProperty([ECR_HOST]);
    } finally {
      await spoofing.stop();
    }
  });

  it('an endpoint URL\'s user information and query string never reach stderr, --debug or the helper\'s stderr', async () => {
    const secretUrl = 'http://user:s3cret-userinfo@127.0.0.1:9/path?X-Amz-Signature=s3cret-query#s3cret-frag';
    const flagged = await ecrAuth(['get-login-password', '--debug', '--endpoint-url', secretUrl], { ...env, ECR_AUTH_TIMEOUT_MS: '1500' });
    expect(flagged.code).toBe(5);
    expect(flagged.stderr).toContain('http://127.0.0.1:9/path');
    const viaEnv = await ecrAuth(['login', '--json', '--debug'], { ...env, AWS_ENDPOINT_URL_ECR: secretUrl, ECR_AUTH_TIMEOUT_MS: '1500' });
    expect(viaEnv.code).toBe(5);
    const { helper } = await import('./support.ts');
    const fromHelper = await helper('get', ECR_HOST, { ...env, AWS_ENDPOINT_URL_ECR: secretUrl, ECR_AUTH_TIMEOUT_MS: '1500', ECR_AUTH_DEBUG: '1' });
    expect(fromHelper.code).toBe(1);
    expect(fromHelper.stderr).toContain('127.0.0.1:9');
    for (const run of [flagged, viaEnv, fromHelper]) expect(run.stdout + run.stderr).not.toMatch(/s3cret/);
    // A malformed endpoint is bad input (exit 2), not a service error, and is not echoed.
    const malformed = await ecrAuth(['get-login-password', '--endpoint-url', 'ftp://user:s3cret@x'], env);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).not.toMatch(/s3cret/);
    // An empty AWS_ENDPOINT_URL_ECR is no setting: the emulator from AWS_ENDPOINT_URL is used.
    const empty = await ecrAuth(['get-login-password'], { ...env, AWS_ENDPOINT_URL_ECR: '', AWS_ENDPOINT_URL: emulator.url });
    expect(empty.code, empty.stderr).toBe(0);
  });

  it('a cron-style login again makes no API call while the cached token is fresh; --no-cache does', async () => {
    expect((await ecrAuth(['login', '--quiet'], env)).code).toBe(0);
    expect(calls(emulator)).toBe(1);
    const again = await ecrAuth(['login', '--quiet'], env);
    expect(again.code).toBe(0);
    expect(again.stdout + again.stderr).toBe('');
    expect((await ecrAuth(['get-login-password'], env)).stdout).toBe(`${PASSWORD}\n`);
    expect(calls(emulator)).toBe(1);
    expect((await ecrAuth(['login', '--no-cache', '--quiet'], env)).code).toBe(0);
    expect(calls(emulator)).toBe(2);
  });

  it('a custom name: the second get-login-password, and the helper\'s warm get, come from the cache (one API call); a public custom name logs in', async () => {
    const publicCalls = () => emulator.stats().requests['ecr-public:GetAuthorizationToken'] ?? 0;
    await writeConfig(home, { registries: { 'mirror.example.com': { region: 'us-east-1', accountId: '210987654321' }, 'public-mirror.example.com': { public: true } } });
    const first = await ecrAuth(['get-login-password', 'mirror.example.com'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(`${PASSWORD}\n`);
    expect(calls(emulator)).toBe(1);
    const second = await ecrAuth(['get-login-password', 'mirror.example.com'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(`${PASSWORD}\n`);
    expect(calls(emulator)).toBe(1);
    // The credential helper's start-up path reads the same record for the custom name (and for the ECR host).
    const { helper } = await import('./support.ts');
    for (const host of ['mirror.example.com', ECR_HOST]) {
      const answer = await helper('get', host, env);
      expect(answer.code, answer.stderr).toBe(0);
      expect(JSON.parse(answer.stdout)).toEqual({ ServerURL: host, Username: 'AWS', Secret: PASSWORD });
    }
    expect(calls(emulator)).toBe(1);
    // Negative control: without the cache every run asks ECR.
    expect((await ecrAuth(['get-login-password', '--no-cache', 'mirror.example.com'], env)).code).toBe(0);
    expect(calls(emulator)).toBe(2);
    // ECR Public behind a custom name: a token from ECR Public, written for the custom host.
    const file = join(home, '.docker', 'config.json');
    const login = await ecrAuth(['login', 'public-mirror.example.com'], env);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toMatch(/^docker: .*: public-mirror\.example\.com \(expires /);
    const written = JSON.parse(await readFile(file, 'utf8')) as { auths: Record<string, { auth: string }> };
    expect(Object.keys(written.auths)).toEqual(['public-mirror.example.com']);
    expect(Buffer.from(written.auths['public-mirror.example.com']?.auth ?? '', 'base64').toString()).toBe(`AWS:${PASSWORD}`);
    expect(publicCalls()).toBe(1);
    expect(calls(emulator)).toBe(2);
    recordOutput(first.stderr + second.stderr + login.stdout + login.stderr);
  });

  it('--debug logs what happens without the password, and SDK warnings never show', async () => {
    const result = await ecrAuth(['login', '--debug', '--podman=' + join(home, 'auth.json'), ECR_HOST, '999999999999.dkr.ecr.us-east-1.amazonaws.com'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('[debug]');
    expect(result.stderr).not.toContain(PASSWORD);
    expect(result.stderr).not.toContain(Buffer.from(`AWS:${PASSWORD}`).toString('base64'));
    expect(result.stderr).not.toMatch(/NodeVersionSupportWarning|Please upgrade|end-of-support/i);
    const json = await ecrAuth(['login', '--json', '--podman=' + join(home, 'auth.json'), ECR_HOST], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ event: 'login', files: [{ tool: 'podman', entries: [{ registry: ECR_HOST, storage: 'file' }] }] });
    expect(json.stdout).not.toContain(PASSWORD);
    recordOutput(result.stdout + result.stderr + json.stdout + json.stderr);
  });

  describe('error paths: one line on stderr, a documented exit code, promptly', () => {
    const oneLine = (text: string) => text.trimEnd().split('\n');

    it('no credentials: exit 3', async () => {
      const noCreds = isolatedEnv(home, undefined, { AWS_ENDPOINT_URL_ECR: emulator.url, AWS_REGION: 'us-east-1' });
      const result = await ecrAuth(['get-login-password'], noCreds);
      expect(result.code).toBe(3);
      expect(oneLine(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(/^ecr-auth: no AWS credentials/);
      expect(result.stdout).toBe('');
      expect(result.ms).toBeLessThan(5_000);
      // Negative control: the same command with credentials succeeds.
      expect((await ecrAuth(['get-login-password'], env)).code).toBe(0);
    });

    it('invalid credentials: exit 3', async () => {
      const result = await ecrAuth(['get-login-password'], { ...env, AWS_SECRET_ACCESS_KEY: 'wrong' });
      expect(result.code).toBe(3);
      expect(oneLine(result.stderr)).toHaveLength(1);
    });

    it('connection refused: exit 5', async () => {
      const result = await ecrAuth(['get-login-password', '--endpoint-url', 'http://127.0.0.1:9'], { ...env, ECR_AUTH_TIMEOUT_MS: '2000' });
      expect(result.code).toBe(5);
      expect(oneLine(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(/could not reach ECR|no token within/);
      expect(result.ms).toBeLessThan(6_000);
    });

    it('access denied: exit 4, naming the IAM action', async () => {
      emulator.injectFault({ kind: 'access-denied', count: 5 });
      const result = await ecrAuth(['login'], env);
      expect(result.code).toBe(4);
      expect(oneLine(result.stderr)).toHaveLength(1);
      expect(result.stderr).toContain('ecr:GetAuthorizationToken');
      expect(result.ms).toBeLessThan(5_000);
    });

    it('malformed or unknown registry: exit 2, no API call', async () => {
      for (const registry of ['123456789012.dkr.ecr.us-east-1.amazonaws.com/UPPER:bad tag', 'registry.example.com', 'https://']) {
        const result = await ecrAuth(['login', registry], env);
        expect(result.code, registry).toBe(2);
        expect(oneLine(result.stderr), registry).toHaveLength(1);
      }
      expect(calls(emulator)).toBe(0);
      // Stack traces only with --debug.
      const debug = await ecrAuth(['login', 'registry.example.com', '--debug'], env);
      expect(debug.stderr).toMatch(/\n\s+at /);
    });

    it('bad usage and a broken configuration file: exit 2', async () => {
      expect((await ecrAuth(['frobnicate'], env)).code).toBe(2);
      expect((await ecrAuth(['login', '--bogus'], env)).code).toBe(2);
      expect((await ecrAuth(['login', '--podman', '/tmp/x.json'], env)).stderr).toMatch(/looks like a file path/);
      await writeConfig(home, { registries: { 'x.example': { region: 'not a region' } } });
      const result = await ecrAuth(['login'], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/config\.json.*region/);
    });

    it('an unparseable auth file is refused and left untouched: exit 7', async () => {
      const file = join(home, 'broken.json');
      const { writeFile } = await import('node:fs/promises');
      await writeFile(file, '{ not json');
      const result = await ecrAuth(['login', `--podman=${file}`, ECR_HOST], env);
      expect(result.code).toBe(7);
      expect(await readFile(file, 'utf8')).toBe('{ not json');
    });
  });

  it('SIGINT during a fetch: exit 130 at once, no password, no partial file', async () => {
    emulator.injectFault({ kind: 'delay', ms: 10_000 });
    const child = start(process.execPath, [ECR_AUTH_BIN, 'login', '--no-cache'], env);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    await new Promise((r) => setTimeout(r, 800));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const sentAt = Date.now();
    child.kill('SIGINT');
    expect(await exit).toBe(130);
    expect(Date.now() - sentAt).toBeLessThan(2_000);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    await expect(readFile(join(home, '.docker', 'config.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('--help and --version', async () => {
    const help = await ecrAuth(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('get-login-password');
    expect((await ecrAuth(['--version'], env)).stdout).toMatch(/^\d+\.\d+\.\d+/);
    const bare = await ecrAuth([], env);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toContain('Usage: ecr-auth');
  });
});
