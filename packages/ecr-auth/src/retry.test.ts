// withRetry's decisions: a timed-out attempt is retried (it is a network failure), an unknown error is not,
// and the two timeouts say which one fired.
import { describe, expect, it } from 'vitest';
import { classifyError } from './classify-error.js';
import { EcrApiError, NetworkError } from './errors.js';
import type { ResolvedRetryOptions } from './retry-options.js';
import { withRetry } from './retry.js';

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const options = (overrides: Partial<ResolvedRetryOptions> = {}): ResolvedRetryOptions => ({
  retries: 2, minDelayMs: 1, maxDelayMs: 5, factor: 2, totalTimeoutMs: 10_000, attemptTimeoutMs: 10_000, ...overrides,
});
const context = { classify: (error: unknown) => classifyError(error, 'private' as const, 'test'), logger: silent, label: 'test' };
/** An attempt that never answers on its own: it ends only when its signal fires. */
const hang = (signal: AbortSignal): Promise<never> => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

describe('withRetry', () => {
  it('retries an attempt that timed out, and reports the attempt timeout', async () => {
    let attempts = 0;
    const result = await withRetry((signal) => (++attempts === 1 ? hang(signal) : Promise.resolve('ok')), options({ attemptTimeoutMs: 50 }), context);
    expect(result).toBe('ok');
    expect(attempts).toBe(2);
    const error = await withRetry(hang, options({ retries: 1, attemptTimeoutMs: 50 }), context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toContain('no answer from ECR within 50 ms');
    expect((error as NetworkError).attempts).toBe(2);
  });

  it('reports the overall deadline, not the attempt timeout, when the deadline fires', async () => {
    const error = await withRetry(hang, options({ retries: 5, attemptTimeoutMs: 60_000, totalTimeoutMs: 100 }), context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toContain('no token within the deadline of 100 ms');
    expect((error as NetworkError).message).not.toContain('no answer from ECR');
  });

  it('does not retry an unknown error', async () => {
    let attempts = 0;
    const error = await withRetry(() => (attempts++, Promise.reject(new Error('boom'))), options(), context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EcrApiError);
    expect((error as EcrApiError).retryable).toBe(false);
    expect(attempts).toBe(1);
    expect((error as EcrApiError).attempts).toBe(1);
    // Negative control: a retryable failure is tried retries + 1 times.
    let resets = 0;
    const reset = await withRetry(() => (resets++, Promise.reject(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))), options(), context).catch((e: unknown) => e);
    expect(reset).toBeInstanceOf(NetworkError);
    expect(resets).toBe(3);
    expect((reset as NetworkError).attempts).toBe(3);
  });
});
