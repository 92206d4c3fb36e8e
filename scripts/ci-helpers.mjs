// Small helpers shared by the CI scripts that run real processes (test-runtimes.mjs, test-sdk-floor.mjs):
// a child process with a hard timeout, the emulator as its own process, and a checklist that fails clearly.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs a command to completion (killed with SIGKILL after `timeoutMs`). Never rejects on a non-zero exit.
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, input?: string, timeoutMs?: number }} [options]
 * @returns {Promise<{ status: number | null, signal: string | null, stdout: string, stderr: string, timedOut: boolean }>}
 */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, timedOut });
    });
    child.stdin.on('error', () => undefined); // a child that exits without reading stdin
    if (options.input) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/**
 * Starts a long-running process and resolves once a line of its stdout matches `ready` (bounded wait).
 * @param {string} command
 * @param {string[]} args
 * @param {RegExp} ready
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, timeoutMs?: number }} [options]
 * @returns {Promise<{ child: import('node:child_process').ChildProcess, match: RegExpMatchArray, output: () => { stdout: string, stderr: string }, exited: Promise<{ status: number | null, signal: string | null }> }>}
 */
export function startProcess(command, args, ready, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let done = false;
    const exited = new Promise((resolveExit) => child.on('close', (status, signal) => resolveExit({ status, signal })));
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} printed nothing matching ${ready} within ${options.timeoutMs ?? 30_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      const match = stdout.match(ready);
      if (match && !done) {
        done = true;
        clearTimeout(timer);
        resolve({ child, match, output: () => ({ stdout, stderr }), exited });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(error);
    });
    exited.then(({ status, signal }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited (${status ?? signal}) before it was ready\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}

/** The default credentials of the emulator's command line (see `ecr-auth-emulator --help`). */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/**
 * Starts the emulator from this repository's build (`node packages/emulator/dist/bin.js`) on 127.0.0.1.
 * @param {string} password - the fixed password of every token it issues.
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startEmulatorProcess(password) {
  const started = await startProcess(process.execPath, [`${ROOT}packages/emulator/dist/bin.js`, '--host', '127.0.0.1', '--port', '0', '--password', password], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return {
    url: started.match[1],
    stop: async () => {
      started.child.kill('SIGTERM');
      const timer = setTimeout(() => started.child.kill('SIGKILL'), 5_000);
      await started.exited;
      clearTimeout(timer);
    },
  };
}

/** A checklist: `check(name, ok, details)` records a result; `finish()` prints a summary and sets the exit code. */
export function checklist(title) {
  const failures = [];
  let passed = 0;
  return {
    check(name, ok, details = '') {
      if (ok) {
        passed += 1;
        console.log(`ok   ${name}`);
      } else {
        failures.push(name);
        console.error(`FAIL ${name}${details ? `\n${details.replace(/^/gm, '     ')}` : ''}`);
      }
      return ok;
    },
    finish() {
      console.log(`${title}: ${passed} passed, ${failures.length} failed`);
      if (failures.length > 0) process.exitCode = 1;
      return failures.length === 0;
    },
  };
}

/** What a run printed, for failure messages. */
export function describeRun(result) {
  return `exit ${result.status ?? result.signal}${result.timedOut ? ' (killed after the timeout)' : ''}\nstdout: ${result.stdout.trim()}\nstderr: ${result.stderr.trim()}`;
}

/** Our publishable packages, by folder: every package but the emulator (a test tool) and private ones. */
export const PUBLISHED = readdirSync(`${ROOT}packages`).filter((folder) => {
  const path = `${ROOT}packages/${folder}/package.json`;
  return folder !== 'emulator' && existsSync(path) && JSON.parse(readFileSync(path, 'utf8')).private !== true;
});

/**
 * Packs packages with pnpm (workspace ranges become real ones) into `dest`.
 * @param {string} dest
 * @param {string[]} [folders]
 * @returns {Promise<Record<string, string>>} package name → tarball path
 */
export async function packPackages(dest, folders = PUBLISHED) {
  const files = {};
  for (const folder of folders) {
    const manifest = JSON.parse(readFileSync(`${ROOT}packages/${folder}/package.json`, 'utf8'));
    const packed = await run(process.execPath, [`${ROOT}scripts/pnpm.mjs`, 'pack', '--pack-destination', dest], { cwd: `${ROOT}packages/${folder}`, timeoutMs: 120_000 });
    const file = join(dest, `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`);
    if (packed.status !== 0 || !existsSync(file)) throw new Error(`pnpm pack in packages/${folder} did not write ${file}\n${describeRun(packed)}`);
    files[manifest.name] = file;
  }
  return files;
}

/**
 * Writes a private ES module project with these dependencies into `dir` and runs `npm install` there.
 * @param {string} dir
 * @param {Record<string, string>} dependencies
 */
export async function installProject(dir, dependencies) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'ecr-auth-ci-app', private: true, type: 'module', dependencies }, null, 2));
  const installed = await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline'], { cwd: dir, timeoutMs: 180_000 });
  if (installed.status !== 0) throw new Error(`npm install in ${dir} failed\n${describeRun(installed)}`);
}
