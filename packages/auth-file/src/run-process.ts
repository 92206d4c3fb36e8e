import { spawn } from 'node:child_process';

/** Options of {@link runProcess}. */
export interface RunProcessOptions {
  /** What to write to the process's stdin (then closed). Secrets go here, never in `args`. */
  stdin?: string;
  /**
   * The environment.
   *
   * @defaultValue `process.env`
   */
  env?: NodeJS.ProcessEnv;
  /**
   * Kill the process after this many milliseconds.
   *
   * @defaultValue `60_000` (60 s)
   */
  timeoutMs?: number;
  /**
   * Working directory.
   *
   * @defaultValue `process.cwd()`
   */
  cwd?: string;
  /**
   * Kills the process (SIGTERM, then SIGKILL a second later) when aborted; the outcome's `error` is then the
   * abort reason.
   */
  signal?: AbortSignal | undefined;
}

/** What a process did. */
export interface ProcessOutcome {
  /** Its exit code, `undefined` when it was killed or could not start. */
  exitCode: number | undefined;
  /** Its stdout (first 64 KiB). */
  stdout: string;
  /** Its stderr (first 64 KiB). */
  stderr: string;
  /** Why it could not start (e.g. `ENOENT`), or that it timed out. */
  error?: Error;
}

const LIMIT = 64 * 1024;

/**
 * Runs a command with arguments (no shell), feeds `stdin`, and collects its output. Never rejects: a command
 * that cannot start or times out is reported in the outcome.
 *
 * @example
 * ```ts
 * const { exitCode, stderr } = await runProcess('podman', ['login', '--password-stdin', host], { stdin: password });
 * ```
 *
 * @param command - the executable (looked up on `PATH` of `env`).
 * @param args - its arguments (never a secret).
 * @param options - see {@link RunProcessOptions}.
 * @returns the outcome.
 */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions = {}): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let error: Error | undefined;
    let settled = false;
    // Stryker disable next-line ArrayDeclaration: no stdio given is pipes too
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], ...(options.cwd === undefined ? {} : { cwd: options.cwd }) });
    const timer = setTimeout(() => {
      error = new Error(`timed out after ${options.timeoutMs ?? 60_000} ms`);
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    let hardKill: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      // Stryker disable next-line OptionalChaining: onAbort only runs for a signal
      const reason: unknown = options.signal?.reason;
      error = reason instanceof Error ? reason : new Error(String(reason));
      child.kill('SIGTERM');
      hardKill = setTimeout(() => child.kill('SIGKILL'), 1_000);
    };
    if (options.signal?.aborted) onAbort();
    else {
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: finish() removes the listener either way
      options.signal?.addEventListener('abort', onAbort, { once: true });
    }
    // Stryker disable next-line StringLiteral: an empty encoding name is utf8 too
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < LIMIT) stdout += chunk;
    });
    // Stryker disable next-line StringLiteral: an empty encoding name is utf8 too
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < LIMIT) stderr += chunk;
    });
    child.stdin.on('error', () => undefined); // EPIPE when the process exits without reading stdin
    child.on('error', (spawnError) => {
      error = spawnError;
      finish(undefined);
    });
    child.on('close', (code) => finish(code ?? undefined));
    child.stdin.end(options.stdin ?? '');
    function finish(exitCode: number | undefined): void {
      // Stryker disable next-line ConditionalExpression: a promise resolves once; a second finish() only clears cleared timers again
      if (settled) return;
      // Stryker disable next-line BooleanLiteral: as above
      settled = true;
      clearTimeout(timer);
      clearTimeout(hardKill);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ exitCode: error === undefined ? exitCode : undefined, stdout, stderr, ...(error ? { error } : {}) });
    }
  });
}
