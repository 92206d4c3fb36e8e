// Shared helpers of the CLI's end-to-end tests: run the built executables in isolated environments.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '@ecr-auth/emulator';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';

export const CLI_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const ECR_AUTH_BIN = join(CLI_ROOT, 'dist/bin/ecr-auth.cjs');
export const HELPER_BIN = join(CLI_ROOT, 'dist/bin/docker-credential-ecr-auth.cjs');
export const ECR_HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

/** What a child did. */
export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Every child started through {@link start}, killed by {@link killAll} in afterEach. */
const children = new Set<ChildProcess>();

/** Starts a child; the caller collects output. */
export function start(command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): ChildProcess {
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.stdin?.on('error', () => undefined);
  return child;
}

/** Kills every child still running (afterEach). */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  children.clear();
}

/** Runs a command to completion with a bounded wait (killed after `timeoutMs`). */
export function run(command: string, args: readonly string[], options: { env: NodeJS.ProcessEnv; stdin?: string; timeoutMs?: number; cwd?: string }): Promise<Run> {
  const started = Date.now();
  const child = start(command, args, options.env, options.cwd);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  child.stdin?.end(options.stdin ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** `ecr-auth ARGS`. */
export function ecrAuth(args: readonly string[], env: NodeJS.ProcessEnv, options: { stdin?: string; timeoutMs?: number } = {}): Promise<Run> {
  return run(process.execPath, [ECR_AUTH_BIN, ...args], { env, ...options });
}

/** `docker-credential-ecr-auth COMMAND` with `stdin`. */
export function helper(command: string, stdin: string, env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<Run> {
  return run(process.execPath, [HELPER_BIN, command], { env, stdin, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
}

/** A fresh home folder per test, removed by {@link cleanupHomes}. */
const homes: string[] = [];
export async function makeHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'ecr-auth-cli-'));
  homes.push(home);
  await mkdir(join(home, '.aws'), { recursive: true });
  return home;
}
export async function cleanupHomes(): Promise<void> {
  await Promise.all(homes.splice(0).map((home) => rm(home, { recursive: true, force: true })));
}

/**
 * An environment isolated in `home`: no inherited AWS_*, XDG_*, DOCKER_* or REGISTRY_AUTH_FILE; AWS config
 * files inside `home`; IMDS off; the emulator's credentials and endpoints when given.
 */
export function isolatedEnv(home: string, emulator?: Emulator, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(AWS_|XDG_|DOCKER_|REGISTRY_AUTH_FILE|ECR_AUTH_|CONTAINERS_)/.test(key)) continue;
    env[key] = value;
  }
  Object.assign(env, {
    HOME: home,
    TMPDIR: tmpdir(),
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
  });
  if (emulator) {
    const [credential] = emulator.credentials;
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: credential?.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credential?.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_ECR: emulator.url,
      AWS_ENDPOINT_URL_ECR_PUBLIC: emulator.url,
    });
  }
  return { ...env, ...extra };
}

/** Writes the ecr-auth configuration file of a home. */
export async function writeConfig(home: string, config: unknown): Promise<void> {
  await mkdir(join(home, '.config', 'ecr-auth'), { recursive: true });
  await writeFile(join(home, '.config', 'ecr-auth', 'config.json'), JSON.stringify(config));
}

/**
 * A folder with `docker-credential-ecr-auth` on it (a wrapper script that also records its argv, to prove no
 * secret is passed on a command line), to put first on PATH.
 */
export async function helperOnPath(home: string): Promise<{ dir: string; argvLog: string }> {
  const dir = join(home, 'bin');
  await mkdir(dir, { recursive: true });
  const argvLog = join(home, 'helper-argv.log');
  const script = `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvLog}'\nexec '${process.execPath}' '${HELPER_BIN}' "$@"\n`;
  await writeFile(join(dir, 'docker-credential-ecr-auth'), script);
  await chmod(join(dir, 'docker-credential-ecr-auth'), 0o755);
  return { dir, argvLog };
}

/** Polls `check` until it returns a value, or throws after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What {@link useCliWorld} provides to each test: the shared emulator, a fresh home and its environment. */
export interface CliWorld {
  emulator: Emulator;
  home: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Registers the set-up most CLI tests share: one emulator for the file (started with `options`), and per
 * test a fresh home with an isolated environment pointing at it, the emulator's stats and faults reset,
 * every child killed and every home removed afterwards. Read the world in `beforeEach` or inside a test.
 */
export function useCliWorld(options: Parameters<typeof startTestEmulator>[0] = {}): () => CliWorld {
  let emulator: Emulator | undefined;
  let world: CliWorld | undefined;
  beforeAll(async () => {
    emulator = await startTestEmulator(options);
  });
  afterAll(async () => {
    await emulator?.stop();
  });
  beforeEach(async () => {
    if (!emulator) throw new Error('the emulator did not start');
    emulator.reset();
    emulator.clearFaults();
    const home = await makeHome();
    world = { emulator, home, env: isolatedEnv(home, emulator) };
  });
  afterEach(async () => {
    await killAll();
    await cleanupHomes();
  });
  return () => {
    if (!world) throw new Error('useCliWorld: read the world inside a test or beforeEach');
    return world;
  };
}
