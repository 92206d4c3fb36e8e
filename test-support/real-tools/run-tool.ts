import { spawn } from 'node:child_process';

/** What a tool run did. */
export interface ToolRun {
  /** The command line, for messages (never holds a secret: secrets go on stdin). */
  command: string;
  /** Exit code (`null` when killed). */
  code: number | null;
  /** Its stdout. */
  stdout: string;
  /** Its stderr. */
  stderr: string;
  /** Wall time in milliseconds. */
  ms: number;
}

/** Options of {@link runTool}. */
export interface RunToolOptions {
  /** The environment (use `isolatedEnv`). */
  env: NodeJS.ProcessEnv;
  /** Text for stdin. */
  stdin?: string;
  /** Kill after this many milliseconds. Default 60 000. */
  timeoutMs?: number;
  /** Working directory. */
  cwd?: string;
}

/**
 * Runs a real tool (skopeo, podman, buildah, docker, htpasswd...) with a bounded wait. Never rejects on a
 * non-zero exit: tests assert the exit code.
 *
 * @param command - the executable.
 * @param args - its arguments.
 * @param options - see {@link RunToolOptions}.
 * @returns what it did.
 */
export function runTool(command: string, args: readonly string[], options: RunToolOptions): Promise<ToolRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'], ...(options.cwd ? { cwd: options.cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ command: [command, ...args].join(' '), code, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

/**
 * An environment isolated for one test: its own `HOME` (and `TMPDIR`), no `XDG_RUNTIME_DIR`, `XDG_CONFIG_HOME`,
 * `DOCKER_CONFIG`, `REGISTRY_AUTH_FILE` or `DOCKER_HOST`, so that no tool reads the user's credentials.
 *
 * @param home - the test's home folder.
 * @param extra - variables to add.
 * @returns the environment.
 */
export function isolatedEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ...extra };
  for (const name of ['XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'DOCKER_CONFIG', 'REGISTRY_AUTH_FILE', 'DOCKER_HOST', 'CONTAINERS_CONF', 'CONTAINERS_STORAGE_CONF']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}
