// Runs each example in examples/ against the emulator, as a user would (`node examples/x.mjs` with the
// standard AWS environment pointing at it).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Emulator } from '@ecr-auth/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { recordOutput } from '../../../test-support/leaks.ts';
import { ECR_HOST, REPO_ROOT, cleanupHomes, isolatedEnv, killAll, makeHome, run, start, waitFor } from './support.ts';

const example = (name: string) => join(REPO_ROOT, 'examples', name);

describe('examples', () => {
  let emulator: Emulator;
  let shortLived: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator({ password: 'example-password-3e9d0b21' });
    shortLived = await startTestEmulator({ tokenTtlSeconds: 8 });
  });
  afterAll(async () => {
    await emulator.stop();
    await shortLived.stop();
  });
  afterEach(async () => {
    await killAll();
    await cleanupHomes();
  });

  it('build-and-push.mjs writes Docker\'s config before the push', async () => {
    const home = await makeHome();
    const dockerDir = join(home, 'docker');
    const env = isolatedEnv(home, emulator, { DOCKER_CONFIG: dockerDir });
    const result = await run(process.execPath, [example('build-and-push.mjs'), `${ECR_HOST}/team/app:v1`, '999999999999.dkr.ecr.us-east-1.amazonaws.com/x:1', '--dry-run'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`would run: docker push ${ECR_HOST}/team/app:v1`);
    const config = JSON.parse(await readFile(join(dockerDir, 'config.json'), 'utf8')) as { auths: Record<string, { auth: string }> };
    expect(Buffer.from(config.auths[ECR_HOST]?.auth ?? '', 'base64').toString()).toBe('AWS:example-password-3e9d0b21');
    expect(Object.keys(config.auths)).toHaveLength(2);
    expect(emulator.stats().requests['ecr:GetAuthorizationToken']).toBe(1);
    expect(result.stdout).not.toContain('example-password');
    // Negative control: a malformed image reference fails before any write.
    const bad = await run(process.execPath, [example('build-and-push.mjs'), 'registry.example.com/app:v1', '--dry-run'], { env: isolatedEnv(home, emulator, { DOCKER_CONFIG: join(home, 'other') }) });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('ECR_AUTH_INVALID_REGISTRY');
  });

  it('embed-get-token.mjs prints a redacted token and hands the password over stdin', async () => {
    const home = await makeHome();
    const env = isolatedEnv(home, emulator);
    for (const args of [[], ['--public']]) {
      const result = await run(process.execPath, [example('embed-get-token.mjs'), ...args], { env });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('"password":"[redacted]"');
      expect(result.stdout).toContain(`child got a password of ${'example-password-3e9d0b21'.length} characters on stdin`);
      expect(result.stdout + result.stderr).not.toContain('example-password');
    }
    const noCreds = await run(process.execPath, [example('embed-get-token.mjs')], { env: isolatedEnv(home, undefined, { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_ECR: emulator.url }) });
    expect(noCreds.code).toBe(3);
    expect(noCreds.stderr).toMatch(/no AWS credentials/);
  });

  it('lambda-handler.cjs (CommonJS, require(\'ecr-auth\')) returns the credentials and prints them redacted', async () => {
    const home = await makeHome();
    const result = await run(process.execPath, [example('lambda-handler.cjs'), ECR_HOST], { env: isolatedEnv(home, emulator) });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ registry: ECR_HOST, username: 'AWS', password: `[${'example-password-3e9d0b21'.length} characters]` });
    // Negative control: a lookalike registry is refused with the typed error.
    const bad = await run(process.execPath, [example('lambda-handler.cjs'), `${ECR_HOST}.evil.test`], { env: isolatedEnv(home, emulator) });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('ECR_AUTH_INVALID_REGISTRY');
  });

  it('podman-authfile-service.mjs keeps the authfile fresh across expiries and faults, and stops on SIGTERM', async () => {
    const home = await makeHome();
    const authFile = join(home, 'auth.json');
    const env = isolatedEnv(home, shortLived, { REGISTRY_AUTH_FILE: authFile, ECR_REGISTRIES: ECR_HOST, AWS_MAX_ATTEMPTS: '1' });
    const child = start(process.execPath, [example('podman-authfile-service.mjs')], env);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const writes = () => (stdout.match(/ wrote /g) ?? []).length;
    await waitFor(() => (writes() >= 1 ? true : undefined), 10_000, 'the first write');
    await waitFor(() => (writes() >= 2 ? true : undefined), 15_000, 'a renewal');
    shortLived.injectFault({ kind: 'server-error', count: 1_000 });
    await waitFor(() => (stderr.includes('renewal failed') ? true : undefined), 15_000, 'a failed renewal');
    shortLived.clearFaults();
    const before = writes();
    await waitFor(() => (writes() > before ? true : undefined), 15_000, 'a renewal after the faults');
    const auth = (JSON.parse(await readFile(authFile, 'utf8')) as { auths: Record<string, { auth: string }> }).auths[ECR_HOST]?.auth ?? '';
    expect(shortLived.issuedPasswords()).toContain(Buffer.from(auth, 'base64').toString().replace(/^AWS:/, ''));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stdout).toMatch(/stopped\n$/);
    for (const password of shortLived.issuedPasswords()) expect(stdout + stderr).not.toContain(password);
    recordOutput(stdout + stderr);
  }, 90_000);
});
