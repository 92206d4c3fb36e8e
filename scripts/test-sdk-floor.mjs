#!/usr/bin/env node
// The SDK floor, tested as a user gets it: packs every published package (pnpm pack, so workspace
// ranges become real ones), installs the tarballs into a fresh project that pins the floor of every
// `@aws-sdk/*` range exactly (the floor is read from the packages' own ranges: `^X` means floor X), checks
// that npm kept one copy of each SDK package (the floor, no second copy under ecr-auth; its control: the
// pre-floor range, today's release, does install a second copy), and runs real
// fetches against the emulator: `getToken` (private, public, a server clock an hour ahead:
// `systemClockOffset`), the installed `ecr-auth` CLI (static keys; a role through `fromTemporaryCredentials`
// with a profile through `fromNodeProviderChain`, against a small STS stand-in), and the documented npx form
// (`npx -y -p <cli tarball> -p <ecr-auth tarball> … ecr-auth …`). Negative controls beside each: wrong keys,
// the server's clock without an offset, and `npx <cli tarball>` without `-p`, which finds no executable.
//
// Then the ecr-auth test suite itself runs against the floor, in a copy of the repository whose workspace
// overrides every @aws-sdk/* package to its floor (skip with --no-suite).
//
//   node scripts/test-sdk-floor.mjs [--keep] [--no-suite]     (needs a build: node scripts/build.mjs)
//
// Our own packages come from the tarballs only; the npm registry serves the real dependencies (the SDK at
// the floor, lru-cache, p-retry, ...).
import { createServer } from 'node:http';
import { URLSearchParams } from 'node:url';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checklist, describeRun, EMULATOR_CREDENTIALS, installProject, packPackages, PUBLISHED, ROOT, run, startEmulatorProcess, startProcess } from './ci-helpers.mjs';

const PACKAGES = PUBLISHED;
const SDK = ['@aws-sdk/client-ecr', '@aws-sdk/client-ecr-public', '@aws-sdk/types', '@aws-sdk/credential-providers'];
const PASSWORD = 'sdk-floor-password-71c4';
const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const ROLE = { accessKeyId: 'ASIAFLOORROLE0000001', secretAccessKey: 'floor-role-secret-key', sessionToken: 'floor-role-session' };

/** The floor of each SDK range in the packages' manifests (`^3.967.0` → `3.967.0`). */
export function sdkFloor() {
  const floor = {};
  for (const name of PACKAGES) {
    const manifest = JSON.parse(readFileSync(`${ROOT}packages/${name}/package.json`, 'utf8'));
    for (const [dep, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      if (!SDK.includes(dep)) continue;
      const match = /^\^(\d+\.\d+\.\d+)$/.exec(range);
      if (!match) throw new Error(`${manifest.name}: ${dep} has range ${range}; expected ^FLOOR`);
      if (floor[dep] && floor[dep] !== match[1]) throw new Error(`${dep}: two floors (${floor[dep]} and ${match[1]})`);
      floor[dep] = match[1];
    }
  }
  for (const dep of SDK) if (!floor[dep]) throw new Error(`no package depends on ${dep}`);
  return floor;
}

/** Every installed copy of `name` under `dir`'s node_modules (path and version). */
function copiesOf(dir, name, found = []) {
  const modules = join(dir, 'node_modules');
  if (!existsSync(modules)) return found;
  const own = join(modules, name, 'package.json');
  if (existsSync(own)) found.push({ path: join(modules, name), version: JSON.parse(readFileSync(own, 'utf8')).version });
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    const scoped = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((inner) => join(entry, inner)) : [entry];
    for (const pkg of scoped) copiesOf(join(modules, pkg), name, found);
  }
  return found;
}

/** A stand-in for STS AssumeRole on 127.0.0.1 that hands out ROLE and records who signed. */
async function startSts() {
  const calls = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      calls.push({ action: form.get('Action'), roleArn: form.get('RoleArn'), signedWith: /Credential=([A-Z0-9]+)\//.exec(String(request.headers.authorization))?.[1] });
      const expiration = new Date(Date.now() + 3_600_000).toISOString();
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>` +
          `<AccessKeyId>${ROLE.accessKeyId}</AccessKeyId><SecretAccessKey>${ROLE.secretAccessKey}</SecretAccessKey>` +
          `<SessionToken>${ROLE.sessionToken}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
          `<AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:ecr-auth</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/pull/ecr-auth</Arn></AssumedRoleUser>` +
          `</AssumeRoleResult><ResponseMetadata><RequestId>floor-1</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    calls,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

const GET_TOKEN_SCRIPT = `
import { getToken } from 'ecr-auth';
const out = {};
try {
  const token = await getToken();
  out.registry = token.registry;
  out.username = token.username;
  out.password = token.revealPassword();
  out.skewSeconds = Math.round((token.fetchedAt.getTime() - Date.now()) / 1000);
  if (process.env.FLOOR_PUBLIC) {
    const pub = await getToken({ public: true });
    out.publicRegistry = pub.registry;
    out.publicPassword = pub.revealPassword();
  }
} catch (error) {
  out.error = { name: error.name, code: error.code, message: error.message };
  process.exitCode = 1;
}
console.log(JSON.stringify(out));
`;

/**
 * The ecr-auth test suite (its SDK tests: clients, retries, clock offset, errors) against the floor: a copy of
 * this repository (tracked and new files) whose workspace overrides every `@aws-sdk/*` package to its floor.
 */
async function suiteAgainstFloor(floor, work, list) {
  const copy = join(work, 'repo');
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  const listed = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, timeoutMs: 60_000 }).catch(() => undefined);
  // Outside a git checkout (an exported tree): every file but dependencies, build outputs and reports.
  const skip = /(^|\/)(node_modules|dist|\.git|\.test-results|coverage|\.bench-tmp|reports)(\/|$)|^docs\/api(\/|$)|\.tsbuildinfo$/;
  const paths =
    listed?.status === 0
      ? listed.stdout.split('\0').filter(Boolean)
      : readdirSync(ROOT, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => join(entry.parentPath, entry.name).slice(ROOT.length))
          .filter((path) => !skip.test(path));
  for (const path of paths) {
    if (!existsSync(join(ROOT, path))) continue; // deleted in the working tree
    mkdirSync(dirname(join(copy, path)), { recursive: true });
    copyFileSync(join(ROOT, path), join(copy, path));
  }
  // The build outputs too, so that the suite's build (tsc -b) is incremental rather than from scratch.
  for (const name of readdirSync(join(ROOT, 'packages'))) {
    const dist = join(ROOT, 'packages', name, 'dist');
    if (existsSync(dist)) await run('cp', ['-a', dist, join(copy, 'packages', name, 'dist')], { timeoutMs: 60_000 });
    const info = join(ROOT, 'packages', name, 'tsconfig.tsbuildinfo');
    if (existsSync(info)) copyFileSync(info, join(copy, 'packages', name, 'tsconfig.tsbuildinfo'));
  }
  const overrides = Object.entries(floor).map(([name, version]) => `  '${name}': ${version}`).join('\n');
  writeFileSync(join(copy, 'pnpm-workspace.yaml'), `${readFileSync(join(copy, 'pnpm-workspace.yaml'), 'utf8').trimEnd()}\n\n# test-sdk-floor.mjs: every SDK package at its floor\noverrides:\n${overrides}\n`);
  const installed = await run(process.execPath, [join(copy, 'scripts', 'pnpm.mjs'), 'install', '--no-frozen-lockfile', '--prefer-offline', '--reporter=silent'], { cwd: copy, timeoutMs: 300_000 });
  if (installed.status !== 0) throw new Error(`pnpm install with the floor overrides failed\n${describeRun(installed)}`);
  console.log(`suite: repository copied and installed with the floor overrides (${elapsed()})`);
  for (const [name, version] of Object.entries(floor)) {
    const manifest = join(copy, 'packages', name === '@aws-sdk/credential-providers' ? 'cli' : 'ecr-auth', 'node_modules', ...name.split('/'), 'package.json');
    const got = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : 'missing';
    list.check(`the suite's workspace resolves ${name} to the floor ${version}`, got === version, `resolved: ${got} (${manifest})`);
  }
  const tested = await run(process.execPath, [join(copy, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--project', 'ecr-auth'], {
    cwd: copy,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeoutMs: 600_000,
  });
  console.log(`suite: built and tested (${elapsed()})`);
  const summary = /Tests\s+(.*)/.exec(tested.stdout)?.[1]?.trim() ?? 'no summary';
  list.check(`the ecr-auth test suite passes against the SDK floor (${summary})`, tested.status === 0, tested.status === 0 ? '' : `${tested.stdout.slice(-6000)}\n${tested.stderr.slice(-3000)}`);
}

async function main() {
  const keep = process.argv.includes('--keep');
  const floor = sdkFloor();
  console.log(`SDK floor (from the packages' ranges): ${Object.entries(floor).map(([name, version]) => `${name}@${version}`).join(', ')}`);
  const list = checklist('sdk floor');
  const work = mkdtempSync(join(tmpdir(), 'ecr-auth-sdk-floor-'));
  const tarballs = join(work, 'tarballs');
  const app = join(work, 'app');
  mkdirSync(tarballs);
  const emulator = await startEmulatorProcess(PASSWORD);
  const sts = await startSts();
  let skewed;
  try {
    // Pack (pnpm turns workspace:^ into real ranges) and install with the floor pinned.
    const files = await packPackages(tarballs, PACKAGES);
    const dependencies = { ...floor };
    for (const [name, file] of Object.entries(files)) dependencies[name] = `file:${file}`;
    await installProject(app, dependencies);
    writeFileSync(join(app, 'get-token.mjs'), GET_TOKEN_SCRIPT);

    for (const [name, version] of Object.entries(floor)) {
      const copies = copiesOf(app, name);
      list.check(
        `one copy of ${name}, the floor ${version}`,
        copies.length === 1 && copies[0].version === version,
        `installed: ${copies.map((copy) => `${copy.version} at ${copy.path.slice(app.length + 1)}`).join('; ') || 'none'}`,
      );
    }

    // Negative control: the same app with ecr-auth's client-ecr range at today's release (what the ranges were
    // before the floor) gets a second copy of the client under ecr-auth.
    const current = JSON.parse(readFileSync(join(ROOT, 'packages', 'ecr-auth', 'node_modules', '@aws-sdk', 'client-ecr', 'package.json'), 'utf8')).version;
    if (current !== floor['@aws-sdk/client-ecr']) {
      const unpacked = join(work, 'latest-range');
      mkdirSync(unpacked);
      const untar = await run('tar', ['xzf', files['ecr-auth'], '-C', unpacked], { timeoutMs: 60_000 });
      if (untar.status !== 0) throw new Error(`tar failed\n${describeRun(untar)}`);
      const manifestPath = join(unpacked, 'package', 'package.json');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      manifest.dependencies['@aws-sdk/client-ecr'] = `^${current}`;
      writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
      const repacked = await run('npm', ['pack', '--pack-destination', unpacked, '--loglevel=error'], { cwd: join(unpacked, 'package'), timeoutMs: 60_000 });
      if (repacked.status !== 0) throw new Error(`npm pack failed\n${describeRun(repacked)}`);
      const control = join(work, 'control-app');
      mkdirSync(control);
      const controlDeps = { '@aws-sdk/client-ecr': floor['@aws-sdk/client-ecr'], 'ecr-auth': `file:${join(unpacked, repacked.stdout.trim().split('\n').pop())}` };
      writeFileSync(join(control, 'package.json'), JSON.stringify({ name: 'sdk-floor-control', private: true, dependencies: controlDeps }, null, 2));
      const controlInstall = await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline'], { cwd: control, timeoutMs: 180_000 });
      const copies = copiesOf(control, '@aws-sdk/client-ecr');
      list.check(
        `negative control: with the range ^${current} (no floor) the app pinned at ${floor['@aws-sdk/client-ecr']} gets a second copy`,
        controlInstall.status === 0 && copies.length === 2 && copies.some((copy) => copy.version === current),
        `${describeRun(controlInstall)}\ninstalled: ${copies.map((copy) => `${copy.version} at ${copy.path.slice(control.length + 1)}`).join('; ')}`,
      );
    }

    const home = join(work, 'home');
    mkdirSync(join(home, '.aws'), { recursive: true });
    const env = (extra = {}) => ({
      PATH: process.env['PATH'] ?? '',
      HOME: home,
      AWS_CONFIG_FILE: join(home, '.aws', 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      XDG_CACHE_HOME: join(home, '.cache'),
      XDG_CONFIG_HOME: join(home, '.config'),
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_ECR: emulator.url,
      AWS_ENDPOINT_URL_ECR_PUBLIC: emulator.url,
      AWS_MAX_ATTEMPTS: '1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ECR_AUTH_NO_CACHE: '1',
      ...(process.env['NODE_EXTRA_CA_CERTS'] && { NODE_EXTRA_CA_CERTS: process.env['NODE_EXTRA_CA_CERTS'] }),
      ...(process.env['npm_config_cache'] && { npm_config_cache: process.env['npm_config_cache'] }),
      ...extra,
    });
    const parse = (text) => {
      try {
        return JSON.parse(text);
      } catch {
        return {};
      }
    };

    // getToken through the installed library.
    let result = await run(process.execPath, ['get-token.mjs'], { cwd: app, env: env({ FLOOR_PUBLIC: '1' }), timeoutMs: 60_000 });
    let out = parse(result.stdout);
    list.check(
      'getToken (private and public) with the floor SDK',
      result.status === 0 && out.registry === HOST && out.username === 'AWS' && out.password === PASSWORD && out.publicRegistry === 'public.ecr.aws' && out.publicPassword === PASSWORD,
      describeRun(result),
    );
    list.check('negative control: the server clock matches ours (no offset)', result.status === 0 && Math.abs(out.skewSeconds) < 600, describeRun(result));
    result = await run(process.execPath, ['get-token.mjs'], { cwd: app, env: env({ AWS_SECRET_ACCESS_KEY: 'wrong-secret' }), timeoutMs: 60_000 });
    out = parse(result.stdout);
    list.check('negative control: getToken with a wrong secret fails with ECR_AUTH_INVALID_CREDENTIALS', result.status === 1 && out.error?.code === 'ECR_AUTH_INVALID_CREDENTIALS' && !result.stdout.includes(PASSWORD), describeRun(result));
    skewed = await startProcess(process.execPath, [`${ROOT}packages/emulator/dist/bin.js`, '--host', '127.0.0.1', '--port', '0', '--password', PASSWORD, '--clock-offset', '3600'], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    result = await run(process.execPath, ['get-token.mjs'], { cwd: app, env: env({ AWS_ENDPOINT_URL_ECR: skewed.match[1], AWS_MAX_ATTEMPTS: '3' }), timeoutMs: 60_000 });
    out = parse(result.stdout);
    // The first attempt is refused (signature expired); the SDK corrects systemClockOffset and the retry passes.
    list.check(
      'getToken against a server clock an hour ahead: fetchedAt on the server clock (systemClockOffset)',
      result.status === 0 && out.password === PASSWORD && out.skewSeconds > 3000 && out.skewSeconds < 4200,
      describeRun(result),
    );

    // The installed CLI.
    const cli = join(app, 'node_modules', '.bin', 'ecr-auth');
    result = await run(cli, ['get-login-password', HOST], { cwd: app, env: env(), timeoutMs: 60_000 });
    list.check('installed ecr-auth get-login-password', result.status === 0 && result.stdout === `${PASSWORD}\n`, describeRun(result));
    result = await run(cli, ['get-login-password', HOST], { cwd: app, env: env({ AWS_SECRET_ACCESS_KEY: 'wrong-secret' }), timeoutMs: 60_000 });
    list.check('negative control: installed ecr-auth with a wrong secret exits 3, no password', result.status === 3 && !result.stdout.includes(PASSWORD), describeRun(result));

    // A role (fromTemporaryCredentials) whose source is a profile (fromNodeProviderChain). Only the role's keys
    // reach ECR: a second emulator accepts nothing else.
    const roleEmulator = await startProcess(
      process.execPath,
      [`${ROOT}packages/emulator/dist/bin.js`, '--host', '127.0.0.1', '--port', '0', '--password', PASSWORD, '--credentials', `${ROLE.accessKeyId}:${ROLE.secretAccessKey}:${ROLE.sessionToken}`],
      /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    );
    try {
      writeFileSync(join(home, '.aws', 'credentials'), `[floor]\naws_access_key_id = AKIAFLOORPROFILE0001\naws_secret_access_key = floor-profile-secret\n`);
      mkdirSync(join(home, '.config', 'ecr-auth'), { recursive: true });
      writeFileSync(join(home, '.config', 'ecr-auth', 'config.json'), JSON.stringify({ registries: { [HOST]: { roleArn: 'arn:aws:iam::123456789012:role/pull' } } }));
      const roleEnv = env({ AWS_ENDPOINT_URL_ECR: roleEmulator.match[1], AWS_ENDPOINT_URL_STS: sts.url, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' });
      result = await run(cli, ['get-login-password', HOST, '--profile', 'floor'], { cwd: app, env: roleEnv, timeoutMs: 60_000 });
      list.check(
        'installed ecr-auth with a role (fromTemporaryCredentials) sourced from a profile (fromNodeProviderChain)',
        result.status === 0 && result.stdout === `${PASSWORD}\n` && sts.calls.length === 1 && sts.calls[0].action === 'AssumeRole' && sts.calls[0].signedWith === 'AKIAFLOORPROFILE0001',
        `${describeRun(result)}\nSTS calls: ${JSON.stringify(sts.calls)}`,
      );
      rmSync(join(home, '.config', 'ecr-auth', 'config.json'));
      result = await run(cli, ['get-login-password', HOST, '--profile', 'floor'], { cwd: app, env: roleEnv, timeoutMs: 60_000 });
      list.check('negative control: without roleArn the profile\'s own keys reach ECR and are refused (exit 3)', result.status === 3 && sts.calls.length === 1, describeRun(result));
    } finally {
      roleEmulator.child.kill('SIGTERM');
      await roleEmulator.exited;
    }

    // The documented npx form, from the tarballs, in an empty folder.
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const npxPackages = ['@ecr-auth/cli', 'ecr-auth', '@ecr-auth/auth-file', '@ecr-auth/docker-config', '@ecr-auth/podman', '@ecr-auth/buildah'].flatMap((name) => ['-p', files[name]]);
    const version = JSON.parse(readFileSync(`${ROOT}packages/cli/package.json`, 'utf8')).version;
    result = await run('npx', ['-y', ...npxPackages, 'ecr-auth', '--version'], { cwd: empty, env: env(), timeoutMs: 180_000 });
    list.check(`npx -y -p <cli tarball> -p <ecr-auth tarball> … ecr-auth --version prints ${version}`, result.status === 0 && result.stdout.includes(version), describeRun(result));
    result = await run('npx', ['-y', ...npxPackages, 'ecr-auth', 'get-login-password', HOST], { cwd: empty, env: env(), timeoutMs: 120_000 });
    list.check('npx … ecr-auth get-login-password gets the password', result.status === 0 && result.stdout === `${PASSWORD}\n`, describeRun(result));
    result = await run('npx', ['-y', files['@ecr-auth/cli'], '--version'], { cwd: empty, env: env(), timeoutMs: 120_000 });
    list.check('negative control: npx <cli tarball> without -p finds no executable (the package has two bins, neither named after it)', result.status !== 0 && !result.stdout.includes(version), describeRun(result));

    if (!process.argv.includes('--no-suite')) await suiteAgainstFloor(floor, work, list);
  } finally {
    if (skewed) {
      skewed.child.kill('SIGTERM');
      await skewed.exited;
    }
    await sts.stop();
    await emulator.stop();
    if (keep) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  list.finish();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
