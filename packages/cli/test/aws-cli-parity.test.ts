// `ecr-auth get-login-password` against AWS CLI v2, an independent client, on one emulator with a fixed password.
import type { Emulator } from '@ecr-auth/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recordOutput } from '../../../test-support/leaks.ts';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { needTools } from '../../../test-support/tools.ts';
import { cleanupHomes, ecrAuth, isolatedEnv, killAll, makeHome, run } from './support.ts';

const AWS = '/usr/bin/aws';
const PASSWORD = 'parity-password-7f3a9c1e55';

const tools = needTools('aws');

describe.skipIf(tools.skip)(tools.title('get-login-password matches aws ecr get-login-password'), () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator({ password: PASSWORD });
  });
  afterAll(async () => {
    await emulator.stop();
  });
  afterEach(async () => {
    await killAll();
    await cleanupHomes();
  });

  it('private ECR: both print the same password and a newline, nothing on stderr', async () => {
    const env = isolatedEnv(await makeHome(), emulator);
    const ours = await ecrAuth(['get-login-password', '--region', 'us-east-1'], env);
    const theirs = await run(AWS, ['ecr', 'get-login-password', '--endpoint-url', emulator.url, '--region', 'us-east-1'], { env, timeoutMs: 60_000 });
    expect(theirs.code, theirs.stderr).toBe(0);
    expect(ours.code, ours.stderr).toBe(0);
    expect(ours.stdout).toBe(`${PASSWORD}\n`);
    expect(ours.stdout.trimEnd()).toBe(theirs.stdout.trimEnd());
    expect(ours.stderr).toBe('');
    // Negative control: with credentials the emulator does not know, neither gets a password.
    const bad = { ...env, AWS_SECRET_ACCESS_KEY: 'not-the-secret' };
    const oursBad = await ecrAuth(['get-login-password', '--region', 'us-east-1', '--no-cache'], bad);
    const theirsBad = await run(AWS, ['ecr', 'get-login-password', '--endpoint-url', emulator.url, '--region', 'us-east-1'], { env: bad, timeoutMs: 60_000 });
    expect(oursBad.code).toBe(3);
    expect(theirsBad.code).not.toBe(0);
    expect(oursBad.stdout).toBe('');
    recordOutput(ours.stderr + oursBad.stderr + oursBad.stdout);
  });

  it('ECR Public: ecr-auth --public matches aws ecr-public get-login-password', async () => {
    const env = isolatedEnv(await makeHome(), emulator);
    const ours = await ecrAuth(['get-login-password', '--public'], env);
    const theirs = await run(AWS, ['ecr-public', 'get-login-password', '--endpoint-url', emulator.url, '--region', 'us-east-1'], { env, timeoutMs: 60_000 });
    expect(theirs.code, theirs.stderr).toBe(0);
    expect(ours.code, ours.stderr).toBe(0);
    expect(ours.stdout).toBe(`${PASSWORD}\n`);
    expect(ours.stdout.trimEnd()).toBe(theirs.stdout.trimEnd());
    expect(ours.stderr).toBe('');
    expect(emulator.stats().requests['ecr-public:GetAuthorizationToken']).toBeGreaterThanOrEqual(2);
  });

  it('--json gives the password only in its own field, with the registry and expiry', async () => {
    const env = isolatedEnv(await makeHome(), emulator);
    const result = await ecrAuth(['get-login-password', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(parsed['password']).toBe(PASSWORD);
    expect(parsed['registry']).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com');
    expect(Date.parse(String(parsed['expiresAt']))).toBeGreaterThan(Date.now());
    const { password: _, ...rest } = parsed;
    expect(JSON.stringify(rest)).not.toContain(PASSWORD);
  });
});
