/**
 * Waits `ms`, or less when `signal` aborts first (then resolves at once; the caller checks the signal).
 *
 * @param ms - how long.
 * @param signal - ends the wait early.
 * @returns a promise that resolves after the wait.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
