#!/usr/bin/env node
// The core and the adapters under Bun and Deno (and Node, as the reference): each runtime, installed once from
// the npm registry into a cache folder, runs the examples against the emulator (a separate process on
// 127.0.0.1), with a wrong-credentials negative control beside each positive run.
//
//   node scripts/test-runtimes.mjs [--runtime bun|deno|node ...] [--layout workspace|tarballs ...]
//
// Two layouts (both by default): `workspace`, the examples in this repository (pnpm's node_modules, the packages
// linked); `tarballs`, the packed packages installed with npm into a fresh project next to copies of the
// examples, as users get them (this also proves `files` left nothing out that a runtime loads).
//
// Cache folder: $ECR_AUTH_RUNTIMES_DIR, else $XDG_CACHE_HOME/ecr-auth-ci/runtimes, else ~/.cache/ecr-auth-ci/runtimes.
// What the runtimes need: Bun, nothing (`bun FILE`). Deno: `deno run -A --node-modules-dir=manual FILE`, i.e.
// every permission (the SDK reads env and files, the examples spawn a child and write auth files) and the
// repository's existing node_modules (pnpm's layout) instead of a Deno-managed one. No source changed.
// Needs a build (node scripts/build.mjs).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checklist, describeRun, EMULATOR_CREDENTIALS, installProject, packPackages, ROOT, run, startEmulatorProcess, startProcess } from './ci-helpers.mjs';

/** Pinned runtimes (`npm view bun version`, `npm view deno version` when chosen). */
export const RUNTIMES = { bun: '1.4.5', deno: '2.9.6' };
const PASSWORD = 'runtime-check-password-5d1e';
const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const IMAGE = `${HOST}/team/app:v1`;

export function runtimesDir() {
  return process.env['ECR_AUTH_RUNTIMES_DIR'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'ecr-auth-ci', 'runtimes');
}

/** The runtime's executable in the cache folder, installed with npm on first use. */
export async function installRuntime(name, { install = true } = {}) {
  const version = RUNTIMES[name];
  const prefix = join(runtimesDir(), `${name}@${version}`);
  const bin = join(prefix, 'node_modules', '.bin', name);
  if (!existsSync(bin)) {
    if (!install) return undefined;
    console.log(`installing ${name}@${version} into ${prefix}`);
    const result = await run('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `${name}@${version}`], { timeoutMs: 180_000 });
    if (result.status !== 0) throw new Error(`npm install ${name}@${version} failed\n${describeRun(result)}`);
  }
  const probe = await run(bin, ['--version'], { timeoutMs: 30_000 });
  if (probe.status !== 0 || !probe.stdout.includes(version)) throw new Error(`${bin} --version did not report ${version}\n${describeRun(probe)}`);
  return bin;
}

/** The command line that runs `file` with `runtime`. */
function commandFor(runtime, bin, file, args) {
  if (runtime === 'deno') return [bin, ['run', '-A', '--node-modules-dir=manual', file, ...args]];
  return [bin, [file, ...args]];
}

const EXAMPLES = ['embed-get-token.mjs', 'build-and-push.mjs', 'lambda-handler.cjs', 'podman-authfile-service.mjs'];

async function main() {
  const option = (name) => process.argv.flatMap((arg, index, all) => (all[index - 1] === name ? [arg] : []));
  const runtimes = option('--runtime').length > 0 ? option('--runtime') : ['node', 'bun', 'deno'];
  const layouts = option('--layout').length > 0 ? option('--layout') : ['workspace', 'tarballs'];
  const bins = {};
  for (const runtime of runtimes) bins[runtime] = runtime === 'node' ? process.execPath : await installRuntime(runtime);

  const list = checklist('runtimes');
  const emulator = await startEmulatorProcess(PASSWORD);
  const work = mkdtempSync(join(tmpdir(), 'ecr-auth-runtimes-'));
  const authOf = Buffer.from(`AWS:${PASSWORD}`).toString('base64');
  try {
    for (const layout of layouts) {
      let cwd = ROOT;
      if (layout === 'tarballs') {
        cwd = join(work, 'app');
        const tarballs = join(work, 'tarballs');
        mkdirSync(tarballs, { recursive: true });
        const files = await packPackages(tarballs);
        await installProject(cwd, Object.fromEntries(Object.entries(files).map(([name, file]) => [name, `file:${file}`])));
        mkdirSync(join(cwd, 'examples'));
        for (const example of EXAMPLES) copyFileSync(join(ROOT, 'examples', example), join(cwd, 'examples', example));
      } else if (layout !== 'workspace') throw new Error(`unknown layout ${layout}: workspace or tarballs`);
      for (const runtime of runtimes) {
        const home = join(work, layout, runtime);
        const env = (secret = EMULATOR_CREDENTIALS.secretAccessKey) => ({
          PATH: process.env['PATH'] ?? '',
          HOME: home,
          AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: secret,
          AWS_REGION: 'us-east-1',
          AWS_ENDPOINT_URL_ECR: emulator.url,
          AWS_ENDPOINT_URL_ECR_PUBLIC: emulator.url,
          AWS_MAX_ATTEMPTS: '1',
          DOCKER_CONFIG: join(home, secret === EMULATOR_CREDENTIALS.secretAccessKey ? 'docker' : 'docker-denied'),
          REGISTRY_AUTH_FILE: join(home, 'containers', 'auth.json'),
          DENO_NO_UPDATE_CHECK: '1',
          NO_COLOR: '1',
          ...(process.env['NODE_EXTRA_CA_CERTS'] && { NODE_EXTRA_CA_CERTS: process.env['NODE_EXTRA_CA_CERTS'] }),
        });
        const exec = (file, args = [], secret = undefined, extra = undefined) => {
          const [command, argv] = commandFor(runtime, bins[runtime], join(cwd, 'examples', file), args);
          return run(command, argv, { cwd, env: { ...env(secret), ...extra }, timeoutMs: 60_000 });
        };
        // Keys in the environment let ecr-auth sign the call itself; keys in a profile go through the SDK.
        const credentialsFile = join(home, 'aws-credentials');
        mkdirSync(home, { recursive: true });
        writeFileSync(credentialsFile, `[runtime]\naws_access_key_id = ${EMULATOR_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${EMULATOR_CREDENTIALS.secretAccessKey}\n`);
        const viaProfile = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'runtime', AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: join(home, 'no-config') };
        const leaks = (result) => (result.stdout + result.stderr).includes(PASSWORD);
        const label = (name) => `${runtime} (${layout}): ${name}`;

        // embed-get-token.mjs: the core (private and public), the password to a child on stdin.
        let result = await exec('embed-get-token.mjs');
        list.check(
          label('embed-get-token.mjs gets a private token'),
          result.status === 0 && result.stdout.includes(`${HOST}: user AWS, expires `) && result.stdout.includes('"password":"[redacted]"') &&
            result.stdout.includes(`child got a password of ${PASSWORD.length} characters on stdin`) && !leaks(result),
          describeRun(result),
        );
        result = await exec('embed-get-token.mjs', [], undefined, viaProfile);
        list.check(
          label('embed-get-token.mjs gets a private token through the SDK (keys in a profile)'),
          result.status === 0 && result.stdout.includes(`${HOST}: user AWS, expires `) && !leaks(result),
          describeRun(result),
        );
        result = await exec('embed-get-token.mjs', ['--public']);
        list.check(label('embed-get-token.mjs --public gets an ECR Public token'), result.status === 0 && result.stdout.includes('public.ecr.aws: user AWS, expires ') && !leaks(result), describeRun(result));
        result = await exec('embed-get-token.mjs', [], 'wrong-secret');
        list.check(
          label('negative control: embed-get-token.mjs with a wrong secret exits 3 (ECR_AUTH_INVALID_CREDENTIALS) and prints no token'),
          result.status === 3 && /credentials/i.test(result.stderr) && !result.stdout.includes('user AWS') && !leaks(result),
          describeRun(result),
        );

        // build-and-push.mjs: the core and the Docker adapter.
        result = await exec('build-and-push.mjs', [IMAGE, '--dry-run']);
        const configPath = join(home, 'docker', 'config.json');
        const config = existsSync(configPath) ? JSON.parse(readFileSync(configPath, 'utf8')) : undefined;
        list.check(
          label('build-and-push.mjs --dry-run writes config.json (0600) and prints the push'),
          result.status === 0 && result.stdout.includes(`would run: docker push ${IMAGE}`) && config?.auths?.[HOST]?.auth === authOf &&
            (statSync(configPath).mode & 0o777) === 0o600 && !leaks(result),
          `${describeRun(result)}\nconfig.json: ${config ? Object.keys(config.auths ?? {}).join(', ') : 'missing'}`,
        );
        result = await exec('build-and-push.mjs', [IMAGE, '--dry-run'], 'wrong-secret');
        list.check(
          label('negative control: build-and-push.mjs with a wrong secret exits 1 with ECR_AUTH_INVALID_CREDENTIALS and writes nothing'),
          result.status === 1 && result.stderr.includes('ECR_AUTH_INVALID_CREDENTIALS:') && !existsSync(join(home, 'docker-denied', 'config.json')) && !leaks(result),
          describeRun(result),
        );

        // lambda-handler.cjs: CommonJS require() of the ESM package.
        result = await exec('lambda-handler.cjs');
        let handled;
        try {
          handled = JSON.parse(result.stdout);
        } catch {
          handled = undefined;
        }
        list.check(
          label('lambda-handler.cjs (CommonJS) returns the credentials'),
          result.status === 0 && handled?.registry === HOST && handled?.username === 'AWS' && handled?.password === `[${PASSWORD.length} characters]` && !leaks(result),
          describeRun(result),
        );
        result = await exec('lambda-handler.cjs', [], 'wrong-secret');
        list.check(
          label('negative control: lambda-handler.cjs with a wrong secret exits 1 with ECR_AUTH_INVALID_CREDENTIALS'),
          result.status === 1 && result.stderr.includes('ECR_AUTH_INVALID_CREDENTIALS:') && result.stdout === '' && !leaks(result),
          describeRun(result),
        );

        // podman-authfile-service.mjs: the Podman adapter, a long-running service stopped by SIGTERM.
        const [command, argv] = commandFor(runtime, bins[runtime], join(cwd, 'examples', 'podman-authfile-service.mjs'), []);
        try {
          const service = await startProcess(command, argv, / wrote .*\n/, { cwd, env: { ...env(), ECR_REGISTRIES: HOST }, timeoutMs: 60_000 });
          service.child.kill('SIGTERM');
          const killer = setTimeout(() => service.child.kill('SIGKILL'), 10_000);
          const exit = await service.exited;
          clearTimeout(killer);
          const authPath = join(home, 'containers', 'auth.json');
          const auth = existsSync(authPath) ? JSON.parse(readFileSync(authPath, 'utf8')) : undefined;
          const { stdout, stderr } = service.output();
          list.check(
            label('podman-authfile-service.mjs writes the authfile and stops on SIGTERM'),
            exit.status === 0 && stdout.includes('stopped') && auth?.auths?.[HOST]?.auth === authOf && !(stdout + stderr).includes(PASSWORD),
            `exit ${exit.status ?? exit.signal}\nstdout: ${stdout}\nstderr: ${stderr}`,
          );
        } catch (error) {
          list.check(label('podman-authfile-service.mjs writes the authfile and stops on SIGTERM'), false, String(error));
        }
      }
    }
  } finally {
    await emulator.stop();
    rmSync(work, { recursive: true, force: true });
  }
  list.finish();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
