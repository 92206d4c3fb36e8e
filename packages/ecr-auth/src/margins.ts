/** How close to expiry a token may get: the rule the provider and the CLI's persistent cache share. */
export interface ExpiryMargins {
  /** Never hand out a token with less than this left, in ms. */
  safetyMarginMs: number;
  /** Renew a token once less than this is left, in ms. */
  refreshAheadMs: number;
}

/** The default margins: never within 5 minutes of expiry, renewed from 30 minutes before it. */
export const DEFAULT_EXPIRY_MARGINS: Readonly<ExpiryMargins> = Object.freeze({ safetyMarginMs: 5 * 60_000, refreshAheadMs: 30 * 60_000 });

/** The margins in force for one token, in ms. */
export interface EffectiveMargins {
  /** Never use the token with less than this left. */
  safety: number;
  /** Renew the token when less than this is left. */
  refreshAhead: number;
}

/**
 * The margins for a token of a given lifetime: the configured ones, scaled down for short-lived tokens (the
 * safety margin to at most a quarter of the lifetime, the refresh window to at most half), so that a short
 * lifetime still leaves a usable window.
 *
 * @example
 * ```ts
 * effectiveMargins(12 * 3600_000); // { safety: 300000, refreshAhead: 1800000 }
 * effectiveMargins(20_000);        // { safety: 5000, refreshAhead: 10000 }
 * ```
 *
 * @param lifetimeMs - `expiresAt - fetchedAt` of the token.
 * @param margins - the configured margins; default {@link DEFAULT_EXPIRY_MARGINS}.
 * @returns the safety margin and the refresh-ahead time.
 */
export function effectiveMargins(lifetimeMs: number, margins: ExpiryMargins = DEFAULT_EXPIRY_MARGINS): EffectiveMargins {
  const safety = Math.min(margins.safetyMarginMs, lifetimeMs / 4);
  const refreshAhead = Math.max(Math.min(margins.refreshAheadMs, lifetimeMs / 2), safety);
  return { safety, refreshAhead };
}
