/**
 * `ecr-auth login --watch`: keeps auth files valid for as long as it runs. Renewals are scheduled on the
 * server's clock (the offset measured when each token was fetched), failures back off and are retried for
 * ever, and entries whose token expired during an outage are removed (and said so) rather than left behind.
 *
 * @module
 */
import { effectiveMargins, type AuthorizationToken } from 'ecr-auth';
import { sleep } from './sleep.js';

/** A token written to the files, with the server clock offset measured when it was fetched. */
export interface WatchedToken {
  /** The token. */
  token: AuthorizationToken;
  /** Server clock minus local clock, ms. */
  clockOffsetMs: number;
}

/** The steps a watch runs, bound to the command's targets, files and output. */
export interface WatchSteps {
  /** Gets one token per target; throws when any could not be renewed. */
  fetch(): Promise<WatchedToken[]>;
  /** Writes the tokens into every file; returns what to report (events for `--json`, one line otherwise). */
  write(tokens: readonly AuthorizationToken[]): Promise<{ files: unknown[]; line: string }>;
  /** Removes the tokens' entries from every file; returns what to report. */
  remove(tokens: readonly AuthorizationToken[]): Promise<{ files: unknown[]; line: string }>;
  /** Reports an event on stdout (`--json`: the event; else the line, unless `--quiet`). */
  report(event: Record<string, unknown>, line: string): void;
  /** Reports a problem on stderr. */
  warn(line: string): void;
  /** Whether an error ends the watch (bad input) instead of being retried. */
  isFatal(error: unknown): boolean;
  /** Stops the watch (SIGTERM/SIGINT). */
  signal?: AbortSignal | undefined;
}

const expiryOf = (watched: WatchedToken): number => watched.token.expiresAt.getTime();

/**
 * Milliseconds until a set of tokens should be renewed: before the earliest refresh-ahead point, with jitter,
 * judged on the server's clock.
 *
 * @example
 * ```ts
 * const delay = renewalDelay([{ token, clockOffsetMs: 3_600_000 }]); // the server is an hour ahead
 * ```
 *
 * @param tokens - the tokens in the files, with their clock offsets.
 * @param now - local epoch ms.
 * @param random - a source of jitter in [0, 1).
 * @returns a delay in ms, at least 0.
 */
export function renewalDelay(tokens: readonly WatchedToken[], now = Date.now(), random = Math.random): number {
  let delay = Number.POSITIVE_INFINITY;
  for (const { token, clockOffsetMs } of tokens) {
    const lifetime = token.expiresAt.getTime() - token.fetchedAt.getTime();
    const { safety, refreshAhead } = effectiveMargins(lifetime);
    const remaining = token.expiresAt.getTime() - (now + clockOffsetMs);
    // Somewhere in the first quarter of the window between "refresh due" and "inside the safety margin".
    const jitter = random() * 0.25 * (refreshAhead - safety);
    delay = Math.min(delay, remaining - refreshAhead + jitter);
  }
  return Math.max(0, delay);
}

/** Milliseconds until the first of the tokens expires, on the server's clock (negative once expired). */
function untilExpiry(tokens: readonly WatchedToken[], now = Date.now()): number {
  return Math.min(...tokens.map((t) => expiryOf(t) - (now + t.clockOffsetMs)));
}

const at = (delay: number) => new Date(Date.now() + delay).toISOString();

/**
 * Runs the watch until `steps.signal` aborts.
 *
 * @param steps - what to do, bound to the command.
 * @param initial - the tokens the login wrote, or `undefined` when the first login failed (an outage at start).
 * @returns when stopped.
 * @throws what `steps.isFatal` calls fatal.
 */
export async function watch(steps: WatchSteps, initial: WatchedToken[] | undefined): Promise<void> {
  const { signal } = steps;
  let written = initial;
  let failures = 0;
  let delay = written ? renewalDelay(written) + 50 : 1_000;
  if (written) steps.report({ event: 'scheduled', nextRenewal: at(delay) }, `watching: next renewal at ${at(delay)}`);
  while (!signal?.aborted) {
    await sleep(delay, signal);
    if (signal?.aborted) break;
    try {
      const tokens = await steps.fetch();
      if (written && tokens.every((t, i) => expiryOf(t) === (written?.[i] ? expiryOf(written[i]) : Number.NaN))) {
        // The cache still judged the same tokens fresh (its clock reading differs from ours by a few ms):
        // nothing was renewed, so look again shortly instead of reporting a renewal.
        delay = 1_000;
        continue;
      }
      const outcome = await steps.write(tokens.map((t) => t.token));
      const event = written ? 'renewed' : 'login';
      written = tokens;
      failures = 0;
      // At least a second between renewals, and a little past the refresh point so the cache sees it as due.
      delay = Math.max(1_000, renewalDelay(written) + 50);
      const expiresAt = new Date(Math.min(...written.map(expiryOf))).toISOString();
      steps.report({ event, files: outcome.files, expiresAt, nextRenewal: at(delay) }, `${event === 'login' ? 'logged in' : 'renewed'} ${outcome.line} (expires ${expiresAt}; next renewal at ${at(delay)})`);
    } catch (error) {
      if (signal?.aborted) break;
      if (steps.isFatal(error)) throw error;
      failures += 1;
      const message = ((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '').replace(/^ecr-auth: /, '');
      if (written && untilExpiry(written) <= 0) {
        const removed = await steps.remove(written.map((t) => t.token)).catch(() => undefined);
        const expiredAt = new Date(Math.min(...written.map(expiryOf))).toISOString();
        steps.report({ event: 'expired', expiresAt: expiredAt, files: removed?.files ?? [] }, `expired at ${expiredAt}: removed ${removed?.line ?? 'nothing'}`);
        steps.warn(`ecr-auth: the token expired at ${expiredAt} and could not be renewed (${message}); its entries were removed, retrying`);
        written = undefined;
      }
      // Exponential backoff with jitter, 1 s to 60 s; while the files hold a token, wake at its expiry at the latest.
      const backoff = Math.min(60_000, 1_000 * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
      delay = Math.max(250, written ? Math.min(backoff, untilExpiry(written)) : backoff);
      const keep = written ? 'files keep the current token' : 'no valid token in the files';
      steps.warn(`ecr-auth: renewal failed (attempt ${failures}): ${message}; ${keep}, retrying in ${Math.round(delay / 100) / 10} s`);
    }
  }
  steps.report({ event: 'stopped' }, 'stopped');
}
