import pRetry from 'p-retry';
import { AbortedError, EcrApiError, EcrAuthError, NetworkError } from './errors.js';
import type { EcrAuthLogger } from './logger.js';
import type { ResolvedRetryOptions } from './retry-options.js';

/** What {@link withRetry} needs besides the operation. */
export interface RetryContext {
  /** Turns a thrown value into a typed error that says whether to retry. */
  classify: (error: unknown) => EcrAuthError;
  /** Where retries are reported. */
  logger: Required<EcrAuthLogger>;
  /** What is being fetched, for log lines. */
  label: string;
  /** Cancels the whole operation (used when the provider is closed). */
  signal?: AbortSignal | undefined;
}

/**
 * Runs `attempt` until it succeeds, a non-retryable error occurs, the retries run out or the deadline
 * passes, with exponential backoff and jitter between attempts (p-retry).
 *
 * @param attempt - one try; receives a signal that fires at its own timeout or the overall deadline.
 * @param options - the resolved retry options.
 * @param context - classification, logging and cancellation.
 * @returns the first successful result.
 * @throws the typed error of the last attempt, with `attempts` set.
 */
export async function withRetry<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  options: ResolvedRetryOptions,
  context: RetryContext,
): Promise<T> {
  const deadline = AbortSignal.timeout(options.totalTimeoutMs);
  const overall = context.signal ? AbortSignal.any([deadline, context.signal]) : deadline;
  let attempts = 0;
  let lastFailure: EcrAuthError | undefined;
  const once = async (): Promise<T> => {
    attempts += 1;
    const attemptTimeout = AbortSignal.timeout(options.attemptTimeoutMs);
    try {
      return await attempt(AbortSignal.any([overall, attemptTimeout]));
    } catch (error) {
      if (attemptTimeout.aborted && !overall.aborted) {
        throw new NetworkError('ECR_AUTH_NETWORK', `no answer from ECR within ${options.attemptTimeoutMs} ms`, {
          cause: error,
          awsErrorCode: 'TimeoutError',
          retryable: true,
        });
      }
      throw context.classify(error);
    }
  };
  try {
    return await pRetry(once, {
      retries: options.retries,
      minTimeout: options.minDelayMs,
      maxTimeout: options.maxDelayMs,
      factor: options.factor,
      randomize: true,
      signal: overall,
      shouldRetry: ({ error }) => error instanceof EcrApiError && error.retryable,
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        if (error instanceof EcrAuthError) lastFailure = error;
        if (error instanceof EcrApiError && error.retryable && retriesLeft > 0) {
          context.logger.warn(`ecr-auth: ${context.label}: attempt ${attemptNumber} failed (${error.awsErrorCode ?? error.code}); retrying`);
        }
      },
    });
  } catch (error) {
    const typed = toFinalError(error, deadline, context, options, lastFailure);
    if (typed instanceof EcrApiError) typed.attempts = attempts;
    throw typed;
  }
}

function toFinalError(error: unknown, deadline: AbortSignal, context: RetryContext, options: ResolvedRetryOptions, lastFailure: EcrAuthError | undefined): EcrAuthError {
  if (error instanceof EcrAuthError && !(error instanceof AbortedError)) return error;
  if (deadline.aborted) {
    const last = lastFailure ? `; last attempt: ${lastFailure.message.replace(/^ecr-auth: /, '')}` : '';
    return new NetworkError('ECR_AUTH_NETWORK', `${context.label}: no token within the deadline of ${options.totalTimeoutMs} ms${last}`, {
      cause: error,
      awsErrorCode: 'TimeoutError',
      retryable: true,
    });
  }
  if (context.signal?.aborted) return new AbortedError(context.signal.reason);
  return context.classify(error);
}
