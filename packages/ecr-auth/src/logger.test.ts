// completeLogger: the methods a partial logger has are called on it (bound), the rest are silent.
import { describe, expect, it } from 'vitest';
import { completeLogger, silentLogger } from './logger.js';

describe('completeLogger', () => {
  it('is the silent logger when none is given', () => {
    expect(completeLogger(undefined)).toBe(silentLogger);
    for (const level of ['debug', 'info', 'warn', 'error'] as const) expect(silentLogger[level]('x')).toBeUndefined();
  });

  it('calls each method the logger has, on the logger, and drops the levels it lacks', () => {
    const seen: string[] = [];
    const logger = {
      prefix: 'L',
      warn(this: { prefix: string }, message: string) {
        seen.push(`${this.prefix} warn ${message}`);
      },
      error(this: { prefix: string }, message: string) {
        seen.push(`${this.prefix} error ${message}`);
      },
    };
    const complete = completeLogger(logger);
    complete.debug('d');
    complete.info('i');
    complete.warn('w');
    complete.error('e');
    expect(seen).toEqual(['L warn w', 'L error e']);
    expect(complete.debug).toBe(silentLogger.debug);
    expect(complete.info).toBe(silentLogger.info);
  });

  it('passes debug and info on too', () => {
    const seen: string[] = [];
    const complete = completeLogger({ debug: (m) => seen.push(`debug ${m}`), info: (m) => seen.push(`info ${m}`) });
    complete.debug('d');
    complete.info('i');
    complete.warn('w');
    expect(seen).toEqual(['debug d', 'info i']);
  });
});
