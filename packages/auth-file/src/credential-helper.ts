import type { AuthorizationToken } from 'ecr-auth';
import { childEnvironment } from './child-env.js';
import { CredentialHelperError } from './errors.js';
import { redactSecrets } from './redact.js';
import { runProcess } from './run-process.js';

/** Options of {@link storeInCredentialHelper} and {@link eraseFromCredentialHelper}. */
export interface CredentialHelperOptions {
  /**
   * The environment the helper runs in (its `PATH` finds it). Either way, AWS credentials
   * and variables named like secrets (`*_TOKEN`, `*_SECRET`, `*_PASSWORD`...) are left out (see `childEnvironment`).
   *
   * @defaultValue `process.env`
   */
  env?: NodeJS.ProcessEnv;
  /** The executable to run instead of `docker-credential-<helper>`. */
  command?: string;
  /**
   * Kill the helper after this many milliseconds.
   *
   * @defaultValue `30_000` (30 s)
   */
  timeoutMs?: number;
  /** Stops the helper at once when aborted (SIGTERM); the call then rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
}

/**
 * Stores a token through a Docker credential helper, as `docker login` does: runs
 * `docker-credential-<helper> store` with `{"ServerURL","Username","Secret"}` on stdin.
 *
 * @example
 * ```ts
 * await storeInCredentialHelper('desktop', token.withRegistry('127.0.0.1:5000'));
 * ```
 *
 * @param helper - the helper name (`desktop`, `pass`, `osxkeychain`...).
 * @param token - the token; its `registry` is the `ServerURL`.
 * @param options - see {@link CredentialHelperOptions}.
 * @throws CredentialHelperError with the helper's output (secrets redacted) when it fails.
 */
export async function storeInCredentialHelper(helper: string, token: AuthorizationToken, options: CredentialHelperOptions = {}): Promise<void> {
  const secret = token.revealPassword();
  const stdin = JSON.stringify({ ServerURL: token.registry, Username: token.username, Secret: secret });
  options.signal?.throwIfAborted();
  const outcome = await runProcess(options.command ?? `docker-credential-${helper}`, ['store'], { stdin, timeoutMs: options.timeoutMs ?? 30_000, env: childEnvironment(options.env ?? process.env), signal: options.signal });
  options.signal?.throwIfAborted();
  if (outcome.exitCode !== 0) {
    const output = redactSecrets(`${outcome.stdout}\n${outcome.stderr}\n${outcome.error?.message ?? ''}`, [secret, token.revealBasicAuth()]);
    throw new CredentialHelperError(helper, 'store', outcome.exitCode, output);
  }
}

/**
 * Erases a registry's credentials from a Docker credential helper (`docker-credential-<helper> erase`).
 *
 * @example
 * ```ts
 * await eraseFromCredentialHelper('desktop', '127.0.0.1:5000');
 * ```
 *
 * @param helper - the helper name.
 * @param registry - the bare registry host.
 * @param options - see {@link CredentialHelperOptions}.
 * @throws CredentialHelperError when it fails.
 */
export async function eraseFromCredentialHelper(helper: string, registry: string, options: CredentialHelperOptions = {}): Promise<void> {
  options.signal?.throwIfAborted();
  const outcome = await runProcess(options.command ?? `docker-credential-${helper}`, ['erase'], { stdin: registry, timeoutMs: options.timeoutMs ?? 30_000, env: childEnvironment(options.env ?? process.env), signal: options.signal });
  options.signal?.throwIfAborted();
  if (outcome.exitCode !== 0) throw new CredentialHelperError(helper, 'erase', outcome.exitCode, redactSecrets(`${outcome.stdout}\n${outcome.stderr}\n${outcome.error?.message ?? ''}`, []));
}
