// Apps that bundle ecr-auth (GitHub Actions, Lambda functions, single-file CLIs): each example bundled with
// esbuild and with rolldown, as ES module and as CommonJS, copied into an empty folder (no node_modules
// anywhere above it) and run against the emulator. The negative control marks the SDK external, as a
// misconfigured bundle would: the run must fail with the typed "SDK missing" error, not an ECR error.
import { cp, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '@ecr-auth/emulator';
import * as esbuild from 'esbuild';
import { rolldown } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../test-support/emulator.ts';
import { runProcess } from '../test-support/process.ts';

const EXAMPLES = fileURLToPath(new URL('.', import.meta.url));
const PASSWORD = 'bundled-app-password-93c1';
/** esbuild's ES module output turns the SDK's `require('node:…')` calls into a throwing stub unless `require` exists: the usual banner. */
const ESM_REQUIRE_BANNER = "import { createRequire as __ecrAuthCreateRequire } from 'node:module'; const require = __ecrAuthCreateRequire(import.meta.url);";

type Format = 'esm' | 'cjs';
const ENTRY: Record<Format, { file: string; ext: string }> = {
  esm: { file: 'embed-get-token.mjs', ext: 'mjs' },
  cjs: { file: 'lambda-handler.cjs', ext: 'cjs' },
};

async function bundle(bundler: 'esbuild' | 'rolldown', format: Format, outDir: string, external: string[] = []): Promise<string> {
  const { file, ext } = ENTRY[format];
  const input = join(EXAMPLES, file);
  if (bundler === 'esbuild') {
    await esbuild.build({
      entryPoints: [input],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format,
      outdir: outDir,
      outExtension: { '.js': `.${ext}` },
      splitting: format === 'esm',
      external,
      logLevel: 'silent',
      ...(format === 'esm' && { banner: { js: ESM_REQUIRE_BANNER } }),
    });
  } else {
    const build = await rolldown({ input, platform: 'node', external, logLevel: 'silent' });
    await build.write({ dir: outDir, format, entryFileNames: `[name].${ext}`, chunkFileNames: `[name]-[hash].${ext}` });
    await build.close();
  }
  return join(outDir, file.replace(/\.[cm]js$/, `.${ext}`));
}

async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

describe('bundled apps run outside node_modules', () => {
  let emulator: Emulator;
  let work: string;
  const sizes: Record<string, number> = {};
  beforeAll(async () => {
    emulator = await startTestEmulator({ password: PASSWORD });
    work = await mkdtemp(join(tmpdir(), 'ecr-auth-bundles-'));
  });
  afterAll(async () => {
    await emulator.stop();
    await rm(work, { recursive: true, force: true });
    console.log(`bundle sizes (bytes, all chunks): ${JSON.stringify(sizes)}`);
  });

  /**
   * The run's environment. Keys in the environment: ecr-auth signs the call itself and the SDK is not loaded.
   * Keys in a profile: the SDK's credential chain, so the bundled SDK runs.
   */
  const env = async (keys: 'env' | 'profile') => {
    const [credential] = emulator.credentials;
    const common = { PATH: process.env['PATH'] ?? '', HOME: work, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_ECR: emulator.url, AWS_EC2_METADATA_DISABLED: 'true' };
    if (keys === 'env') return { ...common, AWS_ACCESS_KEY_ID: credential?.accessKeyId ?? '', AWS_SECRET_ACCESS_KEY: credential?.secretAccessKey ?? '' };
    const file = join(work, 'credentials');
    await writeFile(file, `[bundled]\naws_access_key_id = ${credential?.accessKeyId}\naws_secret_access_key = ${credential?.secretAccessKey}\n`);
    return { ...common, AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: join(work, 'no-config'), AWS_PROFILE: 'bundled' };
  };

  for (const bundler of ['esbuild', 'rolldown'] as const) {
    for (const format of ['esm', 'cjs'] as const) {
      it(`${bundler}, ${format}: the bundle gets a token through the bundled SDK (keys in a profile) and without it (keys in the environment)`, async () => {
        const built = join(work, `${bundler}-${format}-build`);
        const entry = await bundle(bundler, format, built);
        sizes[`${bundler}-${format}`] = await folderSize(built);
        // An empty folder in /tmp: nothing to resolve '@aws-sdk/*' from but the bundle itself.
        const runDir = join(work, `${bundler}-${format}-run`);
        await cp(built, runDir, { recursive: true });
        const entryName = entry.slice(built.length + 1);
        for (const keys of ['profile', 'env'] as const) {
          const run = await runProcess(process.execPath, [join(runDir, entryName)], { env: await env(keys), cwd: runDir, timeoutMs: 60_000 });
          expect(run.status, `${keys}: ${run.stderr}`).toBe(0);
          expect(run.stdout).toContain('123456789012.dkr.ecr.us-east-1.amazonaws.com');
          expect(run.stdout).not.toContain(PASSWORD);
        }
      });
    }
  }

  it('negative control: with the SDK left out of the bundle, a fetch that needs it fails with ECR_AUTH_SDK_MISSING, naming the package; static keys need no SDK', async () => {
    for (const bundler of ['esbuild', 'rolldown'] as const) {
      const built = join(work, `${bundler}-external-build`);
      const entry = await bundle(bundler, 'cjs', built, ['@aws-sdk/client-ecr', '@aws-sdk/client-ecr-public']);
      const runDir = join(work, `${bundler}-external-run`);
      await cp(built, runDir, { recursive: true });
      const file = join(runDir, entry.slice(built.length + 1));
      const run = await runProcess(process.execPath, [file], { env: await env('profile'), cwd: runDir, timeoutMs: 60_000 });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/ECR_AUTH_SDK_MISSING: ecr-auth: @aws-sdk\/client-ecr is not installed/);
      expect(run.stderr).not.toMatch(/ECR_AUTH_SERVICE|TypeError/);
      const direct = await runProcess(process.execPath, [file], { env: await env('env'), cwd: runDir, timeoutMs: 60_000 });
      expect(direct.status, direct.stderr).toBe(0);
      expect(direct.stdout).toContain('123456789012.dkr.ecr.us-east-1.amazonaws.com');
    }
  });
});
