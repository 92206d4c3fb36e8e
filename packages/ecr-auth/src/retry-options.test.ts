// The retry defaults, and AWS_MAX_ATTEMPTS as the SDK reads it (attempts, so retries are one fewer).
import { describe, expect, it } from 'vitest';
import { resolveRetryOptions } from './retry-options.js';

const DEFAULTS = { retries: 4, minDelayMs: 200, maxDelayMs: 5_000, factor: 2, totalTimeoutMs: 30_000, attemptTimeoutMs: 10_000 };

describe('resolveRetryOptions', () => {
  it('fills in every default', () => {
    expect(resolveRetryOptions({}, {})).toStrictEqual(DEFAULTS);
    expect(resolveRetryOptions(undefined, {})).toStrictEqual(DEFAULTS);
  });

  it('keeps what the caller set, zero included', () => {
    const set = { retries: 0, minDelayMs: 0, maxDelayMs: 1, factor: 1, totalTimeoutMs: 2, attemptTimeoutMs: 3 };
    expect(resolveRetryOptions(set, { AWS_MAX_ATTEMPTS: '9' })).toStrictEqual(set);
  });

  it('takes AWS_MAX_ATTEMPTS - 1 retries, when it is a whole number of at least 1', () => {
    expect(resolveRetryOptions({}, { AWS_MAX_ATTEMPTS: '3' }).retries).toBe(2);
    expect(resolveRetryOptions({}, { AWS_MAX_ATTEMPTS: '1' }).retries).toBe(0);
    for (const ignored of ['0', '-2', 'many', '']) expect(resolveRetryOptions({}, { AWS_MAX_ATTEMPTS: ignored }).retries, ignored).toBe(4);
  });

  it('reads process.env by default', () => {
    const saved = process.env['AWS_MAX_ATTEMPTS'];
    process.env['AWS_MAX_ATTEMPTS'] = '7';
    try {
      expect(resolveRetryOptions().retries).toBe(6);
    } finally {
      if (saved === undefined) delete process.env['AWS_MAX_ATTEMPTS'];
      else process.env['AWS_MAX_ATTEMPTS'] = saved;
    }
  });
});
