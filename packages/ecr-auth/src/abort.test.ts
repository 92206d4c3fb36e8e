// raceAbort: one caller's signal ends its own wait with AbortedError, without touching the shared promise.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { raceAbort } from './abort.js';
import { AbortedError } from './errors.js';

const later = <T>(value: T, ms = 20): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe('raceAbort', () => {
  it('without a signal, is the promise itself', () => {
    const promise = Promise.resolve(1);
    expect(raceAbort(promise, undefined)).toBe(promise);
  });

  it('rejects at once for an already-aborted signal, keeping its reason', async () => {
    const reason = new Error('gave up');
    const error = await raceAbort(later('never'), AbortSignal.abort(reason)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).cause).toBe(reason);
  });

  it('rejects when the signal fires first; the shared promise still settles for others', async () => {
    const controller = new AbortController();
    const shared = later('token', 50);
    const raced = raceAbort(shared, controller.signal);
    controller.abort(new Error('caller gave up'));
    const error = await raced.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(((error as AbortedError).cause as Error).message).toBe('caller gave up');
    expect(await shared).toBe('token');
  });

  it('passes the value or the rejection through when the signal does not fire, and stops listening', async () => {
    const controller = new AbortController();
    const raced = raceAbort(later('token'), controller.signal);
    // Negative control: listening while the wait lasts.
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    expect(await raced).toBe('token');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const failure = new Error('fetch failed');
    expect(await raceAbort(Promise.reject(failure), controller.signal).catch((e: unknown) => e)).toBe(failure);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
