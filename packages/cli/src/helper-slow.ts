/**
 * The credential helper's slow path: fetch a token from ECR (loading `ecr-auth` and the SDK), cache it, answer.
 * Fails fast (`ECR_AUTH_TIMEOUT_MS`, default 5 s) with the not-found answer, so that Docker goes on without
 * credentials instead of hanging.
 *
 * @module
 */
import { configPath, loadConfig } from './config-file.js';
import { getAnswer, NOT_FOUND, type FastLookup, type HelperResult } from './helper-fast.js';
import { cacheDir, cacheDisabled, type Env } from './token-cache.js';
import { resolveTarget, TokenSource } from './token-source.js';

/** Default deadline of the helper's fetch, ms. */
export const HELPER_TIMEOUT_MS = 5_000;

/**
 * Parses a duration in ms from the environment.
 *
 * @param value - the variable's value.
 * @param fallback - the default.
 * @returns a positive number of ms.
 */
export function timeoutFrom(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: undefined is NaN (not finite) and '' is 0 (not positive): the checks after them give the default as well
  return value !== undefined && value !== '' && Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

function helperSource(env: Env): { source: TokenSource; debug: boolean } {
  const debug = env['ECR_AUTH_DEBUG'] === '1' || env['ECR_AUTH_DEBUG'] === 'true';
  const debugLine = (line: string) => {
    // Stryker disable next-line ConditionalExpression: the logger that calls this is only given when debugging
    if (debug) process.stderr.write(`${line}\n`);
  };
  const source = new TokenSource({
    cacheDir: cacheDir(env),
    useCache: !cacheDisabled(env),
    respectCooldown: true,
    timeoutMs: timeoutFrom(env['ECR_AUTH_TIMEOUT_MS'], HELPER_TIMEOUT_MS),
    logger: debug ? { debug: debugLine, info: debugLine, warn: debugLine, error: debugLine } : undefined,
    env,
  });
  return { source, debug };
}

/**
 * Completes a `get` that missed the cache: at most one process per scope asks ECR (the others wait for its
 * token), a recent failure recorded by any process is not retried before its cooldown ends, and the whole
 * `get` ends within `ECR_AUTH_TIMEOUT_MS`.
 *
 * @param lookup - what the fast path found.
 * @param env - the environment.
 * @returns the answer.
 */
export async function runSlowGet(lookup: FastLookup, env: Env): Promise<HelperResult> {
  const { source, debug } = helperSource(env);
  try {
    const target = resolveTarget(lookup.serverUrl, loadConfig(configPath(env)), {}, env);
    const { token } = await source.get(target);
    return { stdout: getAnswer(lookup.serverUrl, token.username, token.revealPassword()), stderr: '', code: 0 };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const stack = debug && error instanceof Error && error.stack ? `${error.stack}\n` : '';
    return { stdout: `${NOT_FOUND}\n`, stderr: `${message.split('\n')[0] ?? ''}\n${stack}`, code: 1 };
  } finally {
    await source.close();
  }
}

/**
 * Renews the cached token of a registry, detached from the `get` that answered from the cache: takes the
 * fetch lock (or leaves it to its holder), records a failure for every process to see, and prints nothing.
 *
 * @param serverUrl - the registry whose token is due for renewal.
 * @param env - the environment.
 */
export async function runBackgroundRefresh(serverUrl: string, env: Env): Promise<void> {
  const { source } = helperSource(env);
  try {
    await source.get(resolveTarget(serverUrl, loadConfig(configPath(env)), {}, env));
  } catch {
    // Recorded as a cooldown in the cache; the valid token keeps being served.
  } finally {
    await source.close();
  }
}
