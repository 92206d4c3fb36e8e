import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { recordOutput } from './leaks.ts';

/** What a finished child process left behind. */
export interface ProcessResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time, ms. */
  ms: number;
}

/** Options of {@link runProcess}. */
export interface RunOptions {
  env?: NodeJS.ProcessEnv | undefined;
  cwd?: string | undefined;
  /** Written to stdin, which is then closed. */
  input?: string | undefined;
  /** Killed (SIGKILL) after this long; default 60 s. */
  timeoutMs?: number | undefined;
  /** Run as this user (needs root). */
  uid?: number | undefined;
  /** Run as this group (needs root). */
  gid?: number | undefined;
}

/**
 * Runs a command asynchronously (never spawnSync: servers in the test process must keep answering), with a
 * hard timeout, recording its output for the leak scan. Never rejects on a non-zero exit: tests assert it.
 */
export function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      recordOutput(stdout);
      recordOutput(stderr);
      resolve({ status, signal, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** Whether every folder above `file` lets other users through, and the file lets them run it. */
function runnableByOthers(file: string): boolean {
  if ((statSync(file).mode & 0o001) === 0) return false;
  for (let folder = dirname(file); ; folder = dirname(folder)) {
    if ((statSync(folder).mode & 0o001) === 0) return false;
    if (dirname(folder) === folder) return true;
  }
}

/**
 * The `node` executable for a child that runs as another user. The running Node may live where only root can
 * reach it (`npx -p node@24` installs under `/root/.npm`); then a copy in the temp folder is used, made once.
 */
export function nodeExecutableFor(uid: number | undefined): string {
  if (uid === undefined || runnableByOthers(process.execPath)) return process.execPath;
  const folder = join(tmpdir(), `ecr-auth-node-${process.version}`);
  const copy = join(folder, 'node');
  try {
    statSync(copy);
  } catch {
    mkdirSync(folder, { recursive: true, mode: 0o755 });
    const partial = `${copy}.${process.pid}`;
    copyFileSync(process.execPath, partial);
    renameSync(partial, copy);
  }
  return copy;
}
