/**
 * Where `ecr-auth` reports what it does. Compatible with the AWS SDK `Logger` and with `console`;
 * every method is optional. Nothing logged contains a password or token.
 */
export interface EcrAuthLogger {
  /** Fine detail: cache hits, calls made. */
  debug?: (message: string) => void;
  /** Notable events: a token fetched or refreshed. */
  info?: (message: string) => void;
  /** Recoverable problems: a failed background refresh, a retry. */
  warn?: (message: string) => void;
  /** Failures handed to a caller. */
  error?: (message: string) => void;
}

/** A logger that drops everything; the default. */
export const silentLogger: Required<EcrAuthLogger> = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/**
 * Fills the methods a partial logger lacks with no-ops, binding the ones it has.
 *
 * @param logger - a partial logger, or nothing.
 * @returns a logger with all four methods.
 */
export function completeLogger(logger: EcrAuthLogger | undefined): Required<EcrAuthLogger> {
  if (!logger) return silentLogger;
  const bind = (level: keyof EcrAuthLogger) => logger[level]?.bind(logger) ?? silentLogger[level];
  return { debug: bind('debug'), info: bind('info'), warn: bind('warn'), error: bind('error') };
}
