// How withRetry ends: the deadline's message (with the last attempt's failure when there was one), the caller's
// cancellation as AbortedError, and what it logs between attempts.
import { describe, expect, it } from 'vitest';
import { classifyError } from './classify-error.js';
import { AbortedError, EcrApiError, NetworkError } from './errors.js';
import type { ResolvedRetryOptions } from './retry-options.js';
import { withRetry } from './retry.js';

const options = (overrides: Partial<ResolvedRetryOptions> = {}): ResolvedRetryOptions => ({
  retries: 2, minDelayMs: 1, maxDelayMs: 5, factor: 2, totalTimeoutMs: 10_000, attemptTimeoutMs: 10_000, ...overrides,
});
function context(lines: string[] = []) {
  const keep = (line: string) => void lines.push(line);
  return { classify: (error: unknown) => classifyError(error, 'private' as const, 'test'), logger: { debug: keep, info: keep, warn: keep, error: keep }, label: 'GetAuthorizationToken (private, us-east-1)' };
}
const hang = (signal: AbortSignal): Promise<never> => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
const reset = () => Promise.reject(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));

describe('withRetry endings', () => {
  it('at the deadline, names the last attempt’s failure', async () => {
    // A fast failure, then a backoff delay longer than the deadline.
    const error = await withRetry(reset, options({ retries: 10, minDelayMs: 5_000, maxDelayMs: 5_000, totalTimeoutMs: 100 }), context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toBe(
      'ecr-auth: GetAuthorizationToken (private, us-east-1): no token within the deadline of 100 ms; last attempt: could not reach ECR at test (ECONNRESET: read ECONNRESET)',
    );
    expect(error).toMatchObject({ awsErrorCode: 'TimeoutError', retryable: true, attempts: 1 });
    // An attempt the deadline itself cut short is named by its error's name (a DOMException's numeric code says nothing).
    const cut = await withRetry(hang, options({ totalTimeoutMs: 50 }), context()).catch((e: unknown) => e);
    expect((cut as NetworkError).message).toBe(
      'ecr-auth: GetAuthorizationToken (private, us-east-1): no token within the deadline of 50 ms; last attempt: could not reach ECR at test (TimeoutError: The operation was aborted due to timeout)',
    );
  });

  it('reports the caller’s cancellation between attempts as AbortedError with its reason, not as a deadline', async () => {
    const controller = new AbortController();
    const reason = new Error('provider closed');
    setTimeout(() => controller.abort(reason), 20);
    const error = await withRetry(reset, options({ retries: 10, minDelayMs: 5_000, maxDelayMs: 5_000 }), { ...context(), signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).cause).toBe(reason);
    // Attempts are counted on API errors only.
    expect('attempts' in (error as AbortedError)).toBe(false);
    // Negative control: the same hang with a live signal ends at the deadline instead.
    const deadline = await withRetry(hang, options({ totalTimeoutMs: 50 }), { ...context(), signal: new AbortController().signal }).catch((e: unknown) => e);
    expect(deadline).toBeInstanceOf(NetworkError);
  });

  it('warns before each retry, naming the attempt and the code, and not after the last one', async () => {
    const lines: string[] = [];
    const error = await withRetry(reset, options({ retries: 2 }), context(lines)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EcrApiError);
    expect(lines).toEqual([
      'ecr-auth: GetAuthorizationToken (private, us-east-1): attempt 1 failed (ECONNRESET); retrying',
      'ecr-auth: GetAuthorizationToken (private, us-east-1): attempt 2 failed (ECONNRESET); retrying',
    ]);
    // A non-retryable failure is not announced as a retry.
    const quiet: string[] = [];
    await withRetry(() => Promise.reject(new Error('boom')), options(), context(quiet)).catch(() => undefined);
    expect(quiet).toEqual([]);
  });

  it('types an attempt that timed out as a retryable network error with its cause', async () => {
    let first: unknown;
    const error = await withRetry((signal) => hang(signal).catch((e: unknown) => { first ??= e; throw e; }), options({ retries: 0, attemptTimeoutMs: 30 }), context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'ECR_AUTH_NETWORK', awsErrorCode: 'TimeoutError', retryable: true, attempts: 1 });
    expect((error as NetworkError).cause).toBe(first);
  });

  it('passes a value through, and gives each attempt a live signal', async () => {
    let seen: AbortSignal | undefined;
    expect(await withRetry((signal) => ((seen = signal), Promise.resolve('token')), options(), context())).toBe('token');
    expect(seen?.aborted).toBe(false);
  });
});
