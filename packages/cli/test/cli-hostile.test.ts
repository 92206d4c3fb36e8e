// `ecr-auth` under hostile conditions: signals during every wait, a config file that is a FIFO or broken,
// control characters in arguments, a closed or full stdout, URL-shaped keys in config.json, SDK warnings.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Emulator } from '@ecr-auth/emulator';
import { beforeEach, describe, expect, it } from 'vitest';
import { ECR_AUTH_BIN, ECR_HOST, ecrAuth, REPO_ROOT, start, useCliWorld } from './support.ts';

const PASSWORD = 'hostile-cli-password-5d20';

/** Starts `ecr-auth ARGS`, sends `signal` once `ready` says so, and reports how it ended. */
async function interrupt(args: string[], env: NodeJS.ProcessEnv, signal: NodeJS.Signals, ready: (stderr: string) => boolean | Promise<boolean>) {
  const child = start(process.execPath, [ECR_AUTH_BIN, ...args], env);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, sig) => resolve({ code, signal: sig })));
  for (let i = 0; i < 200 && !(await ready(stderr)); i++) await new Promise((r) => setTimeout(r, 25));
  const sentAt = Date.now();
  child.kill(signal);
  const ended = await exit;
  return { ...ended, stdout, stderr, afterSignalMs: Date.now() - sentAt };
}

describe('ecr-auth under hostile conditions', () => {
  const world = useCliWorld({ password: PASSWORD });
  let emulator: Emulator;
  let home: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    ({ emulator, home, env } = world());
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('get-login-password: %s during the fetch ends it within a second, exit 130, no password printed', async (signal) => {
    emulator.injectFault({ kind: 'delay', ms: 10_000 });
    const calls = () => emulator.stats().requests['ecr:GetAuthorizationToken'];
    const result = await interrupt(['get-login-password', '--no-cache'], env, signal, () => calls() >= 1);
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('');
    expect(result.afterSignalMs).toBeLessThan(1_500);
    // Negative control: the same command left alone prints the password.
    emulator.clearFaults();
    expect((await ecrAuth(['get-login-password', '--no-cache'], env)).stdout).toBe(`${PASSWORD}\n`);
  });

  it('login: SIGINT while another process holds the auth file\'s lock ends it at once; the file and the other\'s lock are untouched', async () => {
    const file = join(home, 'docker', 'config.json');
    await mkdir(join(home, 'docker'), { recursive: true });
    await writeFile(file, '{"auths":{},"keep":1}\n', { mode: 0o600 });
    const holder = spawn(process.execPath, ['--input-type=module', '-e', `import { tryAcquireLock } from ${JSON.stringify(join(REPO_ROOT, 'packages/auth-file/dist/index.js'))}; if (!tryAcquireLock(${JSON.stringify(`${file}.lock`)})) process.exit(3); console.log('locked'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise((resolve) => holder.stdout?.once('data', resolve));
      const lockBefore = await readFile(`${file}.lock`, 'utf8');
      const result = await interrupt(['login', `--docker=${file}`], env, 'SIGINT', () => emulator.stats().requests['ecr:GetAuthorizationToken'] >= 1);
      expect(result.code).toBe(130);
      expect(result.afterSignalMs).toBeLessThan(1_500);
      expect(await readFile(file, 'utf8')).toBe('{"auths":{},"keep":1}\n');
      expect(await readFile(`${file}.lock`, 'utf8')).toBe(lockBefore);
    } finally {
      holder.kill('SIGKILL');
    }
    // Negative control: with the lock free, the same login writes the file.
    expect((await ecrAuth(['login', `--docker=${file}`], env)).code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ keep: 1, auths: { [ECR_HOST]: {} } });
  });

  it('a configuration file that is a FIFO is refused at once (exit 2) by the command and the helper; a broken one is not quoted', async () => {
    const fifo = join(home, 'config.fifo');
    execFileSync('mkfifo', [fifo]);
    const fromFifo = await ecrAuth(['get-login-password'], { ...env, ECR_AUTH_CONFIG: fifo }, { timeoutMs: 10_000 });
    expect(fromFifo.code).toBe(2);
    expect(fromFifo.stderr).toMatch(/is not a regular file \(a FIFO\)/);
    const { helper } = await import('./support.ts');
    const helperAnswer = await helper('get', ECR_HOST, { ...env, ECR_AUTH_CONFIG: fifo }, 10_000);
    expect(helperAnswer.code).toBe(1);
    const broken = join(home, 'broken.json');
    await writeFile(broken, '{"region": "us-east-1", "profile": s3cret-in-config}');
    const fromBroken = await ecrAuth(['get-login-password'], { ...env, ECR_AUTH_CONFIG: broken });
    expect(fromBroken.code).toBe(2);
    expect(fromBroken.stderr).toMatch(/broken\.json is not valid JSON/);
    expect(fromBroken.stderr).not.toMatch(/s3cret/);
  });

  it('control characters in arguments never reach the terminal raw', async () => {
    for (const args of [['login', '\u001b]0;pwned\u0007.example.com'], ['\u001b[2Jbogus'], ['login', '123456789012.dkr.ecr.us-east-1.amazonaws.com\u001b[31m']]) {
      const result = await ecrAuth(args, env);
      expect(result.code).toBe(2);
      // eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
      expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(result.stderr).toMatch(/\\u001b/);
    }
  });

  it('a closed stdout ends quietly and a full one says so in one line: no stack trace', async () => {
    const child = spawn(process.execPath, [ECR_AUTH_BIN, 'get-login-password'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(stderr).not.toMatch(/\n\s+at |Error:/);
    expect(code).not.toBe(0);
    const full = openSync('/dev/full', 'w');
    try {
      const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const c = spawn(process.execPath, [ECR_AUTH_BIN, 'get-login-password'], { env, stdio: ['ignore', full, 'pipe'] });
        let err = '';
        c.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
        c.once('close', (exitCode) => resolve({ code: exitCode, stderr: err }));
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('ecr-auth: cannot write to standard output: ENOSPC\n');
    } finally {
      closeSync(full);
    }
  });

  it('logout with no registry refuses an auth file that is a FIFO at once (exit 7), without blocking', async () => {
    const fifo = join(home, 'config.fifo');
    execFileSync('mkfifo', [fifo]);
    const result = await ecrAuth(['logout', `--docker=${fifo}`], env, { timeoutMs: 10_000 });
    expect(result.code).toBe(7);
    expect(result.stderr).toMatch(/FIFO/i);
  });

  it('logout removes an entry whose key is spelled as a URL', async () => {
    const file = join(home, 'config.json');
    await writeFile(file, JSON.stringify({ auths: { [`https://${ECR_HOST}`]: { auth: 'eA==' }, 'ghcr.io': { auth: 'eQ==' } } }));
    const result = await ecrAuth(['logout', `--docker=${file}`], env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ auths: { 'ghcr.io': { auth: 'eQ==' } } });
  });

  it('the SDK\'s multi-line warnings (a profile beside keys in the environment) are not printed; --debug shows one line', async () => {
    const result = await ecrAuth(['get-login-password', '--profile', 'nonexistent'], env);
    expect(result.stderr).not.toMatch(/Multiple credential sources|WARNING/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    const debug = await ecrAuth(['get-login-password', '--profile', 'nonexistent', '--debug'], env);
    expect(debug.stderr).toMatch(/\[debug\] ecr-auth: AWS SDK: .*WARNING/);
    expect(debug.stderr).not.toMatch(/Please ensure that your environment/);
  });
});
