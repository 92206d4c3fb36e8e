// The credential helper's warm path loads no SDK, no ecr-auth provider, no lru-cache or p-retry: only node
// builtins and the small cache modules. A miss loads them lazily.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import module, { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '@ecr-auth/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { ECR_HOST, HELPER_BIN, cleanupHomes, isolatedEnv, killAll, makeHome, run } from './support.ts';

const tracer = fileURLToPath(new URL('../../../test-support/trace-imports.mjs', import.meta.url));

function loaded(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('LOADED '))
    .map((line) => line.slice('LOADED '.length));
}

describe('docker-credential-ecr-auth start-up path', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator({ password: 'startup-password-77c1' });
  });
  afterAll(async () => {
    await emulator.stop();
  });
  afterEach(async () => {
    await killAll();
    await cleanupHomes();
  });

  it('a warm get imports only builtins and the cli package\'s small modules; a cold one loads the SDK only for credentials it needs the SDK for', async () => {
    emulator.resetStats();
    const env = isolatedEnv(await makeHome(), emulator);
    // Keys in a profile: the SDK's credential chain, so the SDK. Control: the tracer sees the SDK when it loads.
    const profileHome = await makeHome();
    const { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret, ...withoutKeys } = isolatedEnv(profileHome, emulator);
    await mkdir(join(profileHome, '.aws'), { recursive: true });
    await writeFile(join(profileHome, '.aws', 'credentials'), `[ci]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n`);
    const viaProfile = await run(process.execPath, ['--import', tracer, HELPER_BIN, 'get'], { env: { ...withoutKeys, AWS_PROFILE: 'ci' }, stdin: ECR_HOST });
    expect(viaProfile.code, viaProfile.stderr).toBe(0);
    expect(loaded(viaProfile.stderr).some((url) => url.includes('@aws-sdk/client-ecr'))).toBe(true);
    // Keys in the environment: ecr-auth signs the call itself; no SDK module loads.
    const cold = await run(process.execPath, ['--import', tracer, HELPER_BIN, 'get'], { env, stdin: ECR_HOST });
    expect(cold.code, cold.stderr).toBe(0);
    expect(loaded(cold.stderr).filter((url) => url.includes('@aws-sdk') || url.includes('@smithy'))).toEqual([]);
    expect(emulator.stats().requests['ecr:GetAuthorizationToken']).toBe(2);
    const warm = await run(process.execPath, ['--import', tracer, HELPER_BIN, 'get'], { env, stdin: ECR_HOST });
    expect(warm.code).toBe(0);
    expect(JSON.parse(warm.stdout).Secret).toBe('startup-password-77c1');
    const urls = loaded(warm.stderr);
    const files = urls.filter((url) => !isBuiltin(url) && !url.startsWith('data:')).map((url) => (url.startsWith('file:') ? fileURLToPath(url) : url));
    // The bundled bin alone (seen by both the ESM and the CommonJS tracer): no module graph, no ecr-auth, no SDK.
    expect([...new Set(files)]).toEqual([HELPER_BIN]);
  });

  it('turns on the V8 compile cache where Node has one (22.1+), and nothing breaks where it does not', async () => {
    const home = await makeHome();
    // Node's default place for the cache is the temp folder (NODE_COMPILE_CACHE would turn it on by itself).
    await mkdir(join(home, 'tmp'));
    const cacheFolder = join(home, 'tmp', 'node-compile-cache');
    const env = { ...isolatedEnv(home, emulator), TMPDIR: join(home, 'tmp') };
    const version = await run(process.execPath, [HELPER_BIN, 'version'], { env });
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^docker-credential-ecr-auth \d+\.\d+\.\d+/);
    const hasCompileCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
    // Node 24 in CI: the cache folder fills; Node 20: the call is skipped and no folder appears.
    expect(existsSync(cacheFolder)).toBe(hasCompileCache);
  });
});
