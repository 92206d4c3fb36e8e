import { AbortedError } from './errors.js';

/**
 * Waits for `promise`, or rejects with {@link AbortedError} as soon as `signal` fires, whichever comes
 * first. The promise itself is not cancelled: other callers sharing it keep waiting for it.
 *
 * @param promise - shared work.
 * @param signal - this caller's signal.
 * @returns the promise's value.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new AbortedError(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortedError(signal.reason));
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: an aborted signal never fires again, and settling removes the listener either way
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
