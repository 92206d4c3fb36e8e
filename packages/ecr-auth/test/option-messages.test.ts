// An invalid cache or retry option is refused naming its unit: milliseconds only for the durations (found while
// documenting the defaults: `retry.retries must be a finite number of milliseconds` named the wrong unit).
import { describe, expect, it } from 'vitest';
import { EcrTokenProvider, InvalidOptionError } from 'ecr-auth';

describe('invalid cache and retry options', () => {
  it('names milliseconds for a duration', () => {
    expect(() => new EcrTokenProvider({ retry: { totalTimeoutMs: -1 } })).toThrow(new InvalidOptionError('retry.totalTimeoutMs must be a finite number of milliseconds >= 0, got -1'));
  });

  it('names no unit for a count or a ratio', () => {
    expect(() => new EcrTokenProvider({ retry: { retries: -1 } })).toThrow(new InvalidOptionError('retry.retries must be a finite number >= 0, got -1'));
    expect(() => new EcrTokenProvider({ retry: { factor: Number.NaN } })).toThrow(new InvalidOptionError('retry.factor must be a finite number >= 0, got NaN'));
    expect(() => new EcrTokenProvider({ cache: { maxEntries: Number.POSITIVE_INFINITY } })).toThrow(new InvalidOptionError('cache.maxEntries must be a finite number >= 0, got Infinity'));
  });
});
