// Kept apart from retry.ts so that validating options does not load p-retry before the first fetch.

/**
 * How `ecr-auth` retries `GetAuthorizationToken`. It owns every retry: the SDK clients it creates make one
 * HTTP attempt each, so attempts never multiply. Worst case per fetch: `retries + 1` calls within
 * `totalTimeoutMs`.
 */
export interface RetryOptions {
  /**
   * Retries after the first attempt. Only throttling, 5xx, resets, timeouts and corrected clock skew are
   * retried; access denied, bad credentials and invalid parameters fail at once.
   *
   * @defaultValue `4` (5 calls), or `AWS_MAX_ATTEMPTS - 1` when that variable is set
   */
  retries?: number;
  /**
   * Delay before the first retry, in ms, before jitter.
   *
   * @defaultValue `200`
   */
  minDelayMs?: number;
  /**
   * Upper bound of one delay, in ms.
   *
   * @defaultValue `5000`
   */
  maxDelayMs?: number;
  /**
   * Growth of the delay per retry.
   *
   * @defaultValue `2`
   */
  factor?: number;
  /**
   * Deadline for the whole fetch, retries included, in ms.
   *
   * @defaultValue `30_000`
   */
  totalTimeoutMs?: number;
  /**
   * Deadline for one HTTP attempt, in ms.
   *
   * @defaultValue `10_000`
   */
  attemptTimeoutMs?: number;
}

/** {@link RetryOptions} with every default filled in. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/**
 * Fills in the retry defaults, reading `AWS_MAX_ATTEMPTS` from `env`.
 *
 * @param options - what the caller set.
 * @param env - the environment; defaults to `process.env`.
 * @returns every option with a value.
 */
export function resolveRetryOptions(options: RetryOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedRetryOptions {
  const maxAttempts = env['AWS_MAX_ATTEMPTS'];
  // Stryker disable next-line StringLiteral: any text that is not a number parses to NaN, as '' does
  const fromEnv = Number.parseInt(maxAttempts ?? '', 10);
  return {
    retries: options.retries ?? (Number.isInteger(fromEnv) && fromEnv >= 1 ? fromEnv - 1 : 4),
    minDelayMs: options.minDelayMs ?? 200,
    maxDelayMs: options.maxDelayMs ?? 5_000,
    factor: options.factor ?? 2,
    totalTimeoutMs: options.totalTimeoutMs ?? 30_000,
    attemptTimeoutMs: options.attemptTimeoutMs ?? 10_000,
  };
}
