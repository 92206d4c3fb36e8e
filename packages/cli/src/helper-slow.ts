/**
 * The credential helper's slow path: fetch a token from ECR (loading `ecr-auth` and the SDK), cache it, answer.
 * Fails fast (`ECR_AUTH_TIMEOUT_MS`, default 5 s) with the not-found answer, so that Docker goes on without
 * credentials instead of hanging.
 *
 * @module
 */
import { configPath, loadConfig } from './config-file.js';
import { getAnswer, NOT_FOUND, type FastLookup, type HelperResult } from './helper-fast.js';
import { cacheDir, type Env } from './token-cache.js';
import { silenceSdkWarnings } from './silence.js';
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
  return value !== undefined && value !== '' && Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

/**
 * Completes a `get` that missed the cache.
 *
 * @param lookup - what the fast path found.
 * @param env - the environment.
 * @returns the answer.
 */
export async function runSlowGet(lookup: FastLookup, env: Env): Promise<HelperResult> {
  const debug = env['ECR_AUTH_DEBUG'] === '1' || env['ECR_AUTH_DEBUG'] === 'true';
  const debugLine = (line: string) => {
    if (debug) process.stderr.write(`${line}\n`);
  };
  silenceSdkWarnings(debugLine);
  const source = new TokenSource({
    cacheDir: cacheDir(env),
    timeoutMs: timeoutFrom(env['ECR_AUTH_TIMEOUT_MS'], HELPER_TIMEOUT_MS),
    logger: debug ? { debug: debugLine, info: debugLine, warn: debugLine, error: debugLine } : undefined,
    env,
  });
  try {
    const target = resolveTarget(lookup.host, loadConfig(configPath(env)), {}, env);
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
