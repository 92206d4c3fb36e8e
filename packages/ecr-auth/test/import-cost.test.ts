import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '@ecr-auth/emulator';
import { emulatorCredentials, startTestEmulator } from '../../../test-support/emulator.ts';
import { runProcess } from '../../../test-support/process.ts';

const tracer = fileURLToPath(new URL('../../../test-support/trace-imports.mjs', import.meta.url));
// What users import: the package's entry point, the bundled build.
const dist = pathToFileURL(fileURLToPath(new URL('../dist/bundle/index.js', import.meta.url))).href;

/** Runs an ES module script in a fresh Node process; returns its stdout and the module URLs it loaded. */
async function run(script: string, env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string; loaded: string[]; status: number | null }> {
  const child = await runProcess(process.execPath, ['--import', tracer, '--input-type=module', '-e', script], {
    env: { PATH: process.env['PATH'], HOME: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true', ...env },
    timeoutMs: 30_000,
  });
  const lines = child.stderr.split('\n');
  return {
    stdout: child.stdout,
    stderr: lines.filter((line) => !line.startsWith('LOADED ')).join('\n'),
    loaded: lines.filter((line) => line.startsWith('LOADED ')).map((line) => line.slice('LOADED '.length)),
    status: child.status,
  };
}

describe('importing ecr-auth', () => {
  it('does not load the AWS SDK', async () => {
    const { loaded, status, stderr } = await run(`await import(${JSON.stringify(dist)});`);
    expect(status, stderr).toBe(0);
    expect(loaded.some((url) => url.includes('/ecr-auth/dist/bundle/index.js'))).toBe(true);
    expect(loaded.filter((url) => url.includes('@aws-sdk') || url.includes('@smithy'))).toEqual([]);
  });

  // Static credentials: ecr-auth signs the request itself and never loads the SDK; a credentials provider
  // function goes through the SDK, which is then loaded on the first fetch (the tracer's negative control).
  it.each([
    { credentials: 'static', sdkLoaded: false },
    { credentials: 'a provider function', sdkLoaded: true },
  ])('with $credentials credentials, a fetch loads the SDK: $sdkLoaded', async ({ sdkLoaded }) => {
    const emulator = await startTestEmulator();
    try {
      const { accessKeyId, secretAccessKey } = emulatorCredentials(emulator);
      const credentials = `{ accessKeyId: ${JSON.stringify(accessKeyId)}, secretAccessKey: ${JSON.stringify(secretAccessKey)} }`;
      const script = `
        const { EcrTokenProvider } = await import(${JSON.stringify(dist)});
        const provider = new EcrTokenProvider({ region: 'us-east-1', endpoint: ${JSON.stringify(emulator.url)},
          credentials: ${sdkLoaded ? `async () => (${credentials})` : credentials} });
        const token = await provider.getToken();
        console.log(token.registry);
        await provider.close();`;
      const { loaded, status, stdout, stderr } = await run(script);
      expect(status, stderr).toBe(0);
      expect(stdout.trim()).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com');
      expect(emulator.stats().requests['ecr:GetAuthorizationToken']).toBe(1);
      expect(loaded.some((url) => url.includes('@aws-sdk/client-ecr'))).toBe(sdkLoaded);
      expect(loaded.some((url) => url.includes('@smithy/'))).toBe(sdkLoaded);
    } finally {
      await emulator.stop();
    }
  });
});

describe('the standard AWS environment', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(async () => {
    await emulator.stop();
  });

  const envFor = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const { accessKeyId, secretAccessKey } = emulatorCredentials(emulator);
    return { AWS_ENDPOINT_URL_ECR: emulator.url, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, ...extra };
  };
  const calls = () => emulator.stats().requests['ecr:GetAuthorizationToken'];

  it('is honoured by getToken(): AWS_REGION, AWS_ENDPOINT_URL_ECR, AWS_ACCESS_KEY_ID', async () => {
    const script = `
      const { getToken } = await import(${JSON.stringify(dist)});
      const token = await getToken();
      console.log(token.registry);`;
    const { stdout, status, stderr } = await run(script, envFor({ AWS_REGION: 'eu-west-1' }));
    expect(status, stderr).toBe(0);
    expect(stdout.trim()).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com');
    // Negative control: without a region anywhere, a clear typed error instead.
    const none = await run(`const { getToken } = await import(${JSON.stringify(dist)});
      try { await getToken(); } catch (error) { console.log(error.code); }`, envFor({ AWS_CONFIG_FILE: '/nonexistent' }));
    expect(none.stdout.trim()).toBe('ECR_AUTH_INVALID_OPTION');
  });

  it('reads credentials and region from a named profile (AWS_PROFILE and the profile option)', async () => {
    const home = await mkdtemp(join(tmpdir(), 'ecr-auth-profile-'));
    try {
      const { accessKeyId, secretAccessKey } = emulatorCredentials(emulator);
      await writeFile(join(home, 'config'), '[profile build]\nregion = ap-southeast-2\n');
      await writeFile(join(home, 'credentials'), `[build]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`);
      const files = { AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'), AWS_ENDPOINT_URL_ECR: emulator.url };
      const viaEnv = await run(`const { getToken } = await import(${JSON.stringify(dist)});
        console.log((await getToken()).registry);`, { ...files, AWS_PROFILE: 'build' });
      expect(viaEnv.status, viaEnv.stderr).toBe(0);
      expect(viaEnv.stdout.trim()).toBe('123456789012.dkr.ecr.ap-southeast-2.amazonaws.com');
      const viaOption = await run(`const { EcrTokenProvider } = await import(${JSON.stringify(dist)});
        const provider = new EcrTokenProvider({ profile: 'build' });
        console.log((await provider.getToken()).registry);
        try { await new EcrTokenProvider({ profile: 'missing', retry: { retries: 0 } }).getToken(); } catch (error) { console.log(error.code); }`, files);
      expect(viaOption.status, viaOption.stderr).toBe(0);
      expect(viaOption.stdout.trim().split('\n')).toEqual(['123456789012.dkr.ecr.ap-southeast-2.amazonaws.com', 'ECR_AUTH_INVALID_OPTION']);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('takes AWS_MAX_ATTEMPTS as the total number of calls', async () => {
    emulator.injectFault({ kind: 'throttle', count: 10 });
    const before = calls();
    const script = `
      const { getToken } = await import(${JSON.stringify(dist)});
      try { await getToken({ region: 'us-east-1' }); } catch (error) { console.log(error.code, error.attempts); }`;
    const { stdout, status, stderr } = await run(script, envFor({ AWS_MAX_ATTEMPTS: '2' }));
    expect(status, stderr).toBe(0);
    expect(stdout.trim()).toBe('ECR_AUTH_THROTTLED 2');
    expect(calls() - before).toBe(2);
    emulator.clearFaults();
  });
});
