import { runProcess } from '../process.ts';

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
export async function runTool(command: string, args: readonly string[], options: RunToolOptions): Promise<ToolRun> {
  const { status, stdout, stderr, ms } = await runProcess(command, args, {
    env: options.env,
    input: options.stdin,
    timeoutMs: options.timeoutMs,
    cwd: options.cwd,
  });
  return { command: [command, ...args].join(' '), code: status, stdout, stderr, ms };
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
