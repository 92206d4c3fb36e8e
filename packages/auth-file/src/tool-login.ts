import type { AuthorizationToken } from 'ecr-auth';
import { assertRegistryHost } from './auth-keys.js';
import { childEnvironment } from './child-env.js';
import { ToolLoginError } from './errors.js';
import { redactSecrets } from './redact.js';
import { runProcess } from './run-process.js';

/** Options of {@link runToolLogin}. */
export interface ToolLoginOptions {
  /**
   * The registry to log in to.
   *
   * @defaultValue `token.registry`
   */
  registry?: string;
  /**
   * The executable to run.
   *
   * @defaultValue the tool's name (found on `PATH`)
   */
  command?: string;
  /** Arguments inserted before the registry, e.g. `['--tls-verify=false']` or `['--authfile', path]`. */
  extraArgs?: readonly string[];
  /**
   * The environment. AWS credentials and variables named like secrets are left out.
   *
   * @defaultValue `process.env`
   */
  env?: NodeJS.ProcessEnv;
  /**
   * Kill the tool after this many milliseconds.
   *
   * @defaultValue `60_000` (60 s)
   */
  timeoutMs?: number;
  /** Stops the tool at once when aborted (SIGTERM); the call then rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
}

/** What a tool login did. Never holds the password. */
export interface ToolLoginResult {
  /** The command that was run. */
  command: string;
  /** Its arguments (no secret: the password went on stdin). */
  args: string[];
  /** The registry logged in to. */
  registry: string;
  /** When the credentials stop working. */
  expiresAt: Date;
}

/**
 * Runs a tool's own login (`<tool> login --username AWS --password-stdin [extraArgs] <registry>`) with the
 * password on stdin, never on the command line. Shared by `dockerLogin`, `podmanLogin` and `buildahLogin`.
 *
 * @example
 * ```ts
 * await runToolLogin('podman', token, { extraArgs: ['--authfile', '/tmp/auth.json'] });
 * ```
 *
 * @param tool - `docker`, `podman` or `buildah` (the default command and the name in errors).
 * @param token - the token.
 * @param options - see {@link ToolLoginOptions}.
 * @returns what was run (without the password).
 * @throws ToolLoginError with the tool's stderr (secrets redacted) when it fails.
 */
export async function runToolLogin(tool: string, token: AuthorizationToken, options: ToolLoginOptions = {}): Promise<ToolLoginResult> {
  const registry = assertRegistryHost(options.registry ?? token.registry);
  const command = options.command ?? tool;
  const args = ['login', '--username', token.username, '--password-stdin', ...(options.extraArgs ?? []), registry];
  const secret = token.revealPassword();
  options.signal?.throwIfAborted();
  const outcome = await runProcess(command, args, { stdin: secret, timeoutMs: options.timeoutMs ?? 60_000, env: childEnvironment(options.env ?? process.env), signal: options.signal });
  options.signal?.throwIfAborted();
  if (outcome.exitCode !== 0) {
    const detail = outcome.error ? `${outcome.error.message}\n${outcome.stderr}` : outcome.stderr || outcome.stdout;
    throw new ToolLoginError(command, registry, outcome.exitCode, redactSecrets(detail, [secret, token.revealBasicAuth()]), outcome.error);
  }
  return { command, args, registry, expiresAt: token.expiresAt };
}

/** Options of {@link containersToolLogin}: what `podman login` and `buildah login` take beyond the basics. */
export interface ContainersLoginOptions extends ToolLoginOptions {
  /**
   * The auth file to write (`--authfile`).
   *
   * @defaultValue the tool's own choice (`$REGISTRY_AUTH_FILE`, then its default file)
   */
  authFile?: string;
  /**
   * `false` adds `--tls-verify=false` (a plain-HTTP or self-signed registry).
   *
   * @defaultValue `true` (no flag)
   */
  tlsVerify?: boolean;
}

/**
 * Runs `podman login` or `buildah login` (`--username AWS --password-stdin`) with the password on stdin,
 * for users who prefer the tool to write its own auth file. `podmanLogin` and `buildahLogin` are this.
 *
 * @example
 * ```ts
 * await containersToolLogin('podman', token, { authFile: '/ci/auth.json' });
 * ```
 *
 * @param tool - `podman` or `buildah`.
 * @param token - the token.
 * @param options - see {@link ContainersLoginOptions}; `command` overrides the executable.
 * @returns what was run (without the password).
 * @throws ToolLoginError with the tool's stderr (secrets redacted).
 */
export function containersToolLogin(tool: 'podman' | 'buildah', token: AuthorizationToken, options: ContainersLoginOptions = {}): Promise<ToolLoginResult> {
  const { authFile, tlsVerify, ...rest } = options;
  const extraArgs = [
    ...(authFile === undefined ? [] : ['--authfile', authFile]),
    ...(tlsVerify === false ? ['--tls-verify=false'] : []),
    ...(rest.extraArgs ?? []),
  ];
  return runToolLogin(tool, token, { ...rest, extraArgs });
}
