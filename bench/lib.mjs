// Shared by every figure: statistics, timing of child processes, isolated environments, the emulator.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '@ecr-auth/emulator';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const ECR_AUTH_BIN = join(REPO_ROOT, 'packages/cli/dist/bin/ecr-auth.cjs');
export const HELPER_BIN = join(REPO_ROOT, 'packages/cli/dist/bin/docker-credential-ecr-auth.cjs');
export const TRACE_IMPORTS = join(REPO_ROOT, 'test-support/trace-imports.mjs');
/** The independent client: AWS CLI v2 (a pyenv v1 `aws` may come first on PATH). */
export const AWS_CLI = '/usr/bin/aws';
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const ECR_HOST = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
/** The emulator's counter of private GetAuthorizationToken calls. */
export const GET_TOKEN_OP = 'ecr:GetAuthorizationToken';

/** The q-quantile (0..1) of numbers, linear interpolation. */
export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

/** p50 and p90 of samples. */
export function summary(samples) {
  return { p50: quantile(samples, 0.5), p90: quantile(samples, 0.9), n: samples.length };
}

/** Milliseconds since `start` (a `process.hrtime.bigint()`). */
export function msSince(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Runs a command to completion: wall time in ms (spawn to exit), exit code and output. `input` goes to
 * stdin (secrets travel there, never in argv).
 */
export function runTimed(command, args, { env = process.env, input = '', cwd = REPO_ROOT, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ ms: msSince(started), code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/**
 * Times several commands `runs` times each, interleaved (a, b, c, a, b, c, ...) so that drift of a shared
 * machine hits every command alike. Each command is `{ name, command, args, env, input?, check?, before? }`;
 * `check(result)` returns an error text for a run that did not do its job (non-zero exit, wrong output);
 * `before()`, untimed, prepares each run (empties a cache, say). One untimed warm-up run each (file-system cache).
 */
export async function compareProcesses(commands, runs) {
  const samples = new Map(commands.map((c) => [c.name, []]));
  for (let round = -1; round < runs; round += 1) {
    for (const c of commands) {
      await c.before?.();
      const result = await runTimed(c.command, c.args, { env: c.env, input: c.input ?? '' });
      const problem = result.code !== 0 ? `exit ${result.code ?? result.signal}: ${result.stderr.slice(0, 300)}` : c.check?.(result);
      if (problem) throw new Error(`${c.name}: ${problem}`);
      if (round >= 0) samples.get(c.name).push(result.ms);
    }
  }
  return Object.fromEntries([...samples].map(([name, values]) => [name, summary(values)]));
}

/**
 * A private temporary home and the environment of a process isolated in it: no inherited AWS_*, XDG_*,
 * DOCKER_* or ECR_AUTH_* variables, AWS config files inside it, IMDS off. `extra` is added last.
 */
export async function makeSandbox(extra = {}) {
  const home = await mkdtemp(join(tmpdir(), 'ecr-auth-bench-'));
  await mkdir(join(home, '.aws'), { recursive: true });
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    // NODE_EXTRA_CA_CERTS is this machine's, not a user's: it makes every Node start read a CA bundle
    // (~75 ms on Node 20 here), which would hide what ecr-auth costs. Nothing here speaks TLS.
    if (!/^(AWS_|XDG_|DOCKER_|REGISTRY_AUTH_FILE|ECR_AUTH_|CONTAINERS_|NODE_OPTIONS|NODE_EXTRA_CA_CERTS)/.test(key)) env[key] = value;
  }
  Object.assign(env, {
    HOME: home,
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    ...extra,
  });
  return { home, env, cleanup: () => rm(home, { recursive: true, force: true }) };
}

/** The AWS environment that points a process at the emulator with its default credentials. */
export function emulatorEnv(emulator) {
  const [credential] = emulator.credentials;
  return {
    AWS_ACCESS_KEY_ID: credential.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credential.secretAccessKey,
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL_ECR: emulator.url,
    AWS_ENDPOINT_URL_ECR_PUBLIC: emulator.url,
  };
}

/** Starts the emulator on 127.0.0.1 (never another address). Random ~2,500-char passwords, as ECR's. */
export function startBenchEmulator(options = {}) {
  return startEmulator({ ...options, host: '127.0.0.1' });
}

/** Options of an `EcrTokenProvider` pointed at the emulator. */
export function providerOptions(emulator, extra = {}) {
  const [credential] = emulator.credentials;
  return {
    region: REGION,
    endpoint: emulator.url,
    publicEndpoint: emulator.url,
    credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey },
    ...extra,
  };
}

/** Private GetAuthorizationToken calls the emulator has seen. */
export function apiCalls(emulator) {
  return emulator.stats().requests[GET_TOKEN_OP];
}

/** The machine the figures were measured on. */
export function machine() {
  const list = cpus();
  return {
    cpu: list[0]?.model?.trim() || 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}
