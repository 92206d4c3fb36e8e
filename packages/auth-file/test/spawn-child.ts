import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { TS_CACHE_DIR, TS_NODE_ARGS } from '../../../test-support/real-tools/node-child.js';

/** A long-lived child `node` process running a TypeScript fixture, with its stdout collected line by line. */
export interface LiveChild {
  process: ChildProcessWithoutNullStreams;
  /** Every line printed so far. */
  lines: string[];
  /** Resolves with the first line matching `pattern` (rejects if the child exits first). */
  waitFor(pattern: RegExp): Promise<string>;
  /** Resolves when the child has exited, with its exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node <fixture> ...args` (optionally through a wrapper command such as `unshare --pid --fork`), with the
 * TypeScript loader of the test support.
 *
 * @param script - the fixture's absolute path.
 * @param args - its arguments.
 * @param wrapper - a command and arguments to run node under.
 * @returns the live child.
 */
export function spawnNodeChild(script: string, args: readonly string[], wrapper: readonly string[] = []): LiveChild {
  const command = [...wrapper, process.execPath, ...TS_NODE_ARGS, script, ...args];
  const child = spawn(command[0] ?? process.execPath, command.slice(1), { env: { ...process.env, ECR_AUTH_TS_CACHE: TS_CACHE_DIR }, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  let buffer = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`child exited (${code ?? signal}) before printing ${waiter.pattern}: ${stderr.slice(0, 2_000)}`));
      resolve({ code, signal });
    });
  });
  return {
    process: child,
    lines,
    exited,
    waitFor(pattern) {
      const found = lines.find((line) => pattern.test(line));
      if (found !== undefined) return Promise.resolve(found);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`child exited before printing ${pattern}: ${stderr.slice(0, 2_000)}`));
      return new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject }));
    },
  };
}
