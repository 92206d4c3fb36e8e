/**
 * Stable machine-readable codes carried by every {@link EcrAuthError}.
 * Branch on these (or on the subclasses), never on message text.
 */
export type EcrAuthErrorCode =
  | 'ECR_AUTH_INVALID_TOKEN'
  | 'ECR_AUTH_INVALID_REGISTRY'
  | 'ECR_AUTH_INVALID_OPTION'
  | 'ECR_AUTH_ACCESS_DENIED'
  | 'ECR_AUTH_NO_CREDENTIALS'
  | 'ECR_AUTH_INVALID_CREDENTIALS'
  | 'ECR_AUTH_THROTTLED'
  | 'ECR_AUTH_NETWORK'
  | 'ECR_AUTH_SERVICE'
  | 'ECR_AUTH_TOKEN_EXPIRED'
  | 'ECR_AUTH_ABORTED';

/** Options accepted by every {@link EcrAuthError} constructor. */
export interface EcrAuthErrorOptions {
  /** The underlying error, kept for debugging. It must not carry a secret in its message. */
  cause?: unknown;
}

/**
 * Base class of every error thrown by `ecr-auth`. Messages start with `ecr-auth:` and never contain a
 * password or token.
 *
 * @example
 * ```ts
 * try {
 *   await provider.getToken();
 * } catch (error) {
 *   if (error instanceof EcrAuthError && error.code === 'ECR_AUTH_ACCESS_DENIED') process.exitCode = 3;
 *   else throw error;
 * }
 * ```
 */
export class EcrAuthError extends Error {
  /** A stable code for this kind of failure. */
  readonly code: EcrAuthErrorCode;

  /**
   * @param code - the stable code of this failure.
   * @param message - what went wrong and what to do, without any secret. `ecr-auth: ` is prefixed.
   * @param options - the `cause`, if any.
   */
  constructor(code: EcrAuthErrorCode, message: string, options: EcrAuthErrorOptions = {}) {
    super(message.startsWith('ecr-auth:') ? message : `ecr-auth: ${message}`, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A base64 authorization token could not be decoded into a user name and password. */
export class TokenDecodeError extends EcrAuthError {
  /** @param message - what is wrong with the token (never the token itself). */
  constructor(message: string) {
    super('ECR_AUTH_INVALID_TOKEN', message);
  }
}

/** A registry host, URL or image reference is not an ECR registry this library can place. */
export class RegistryParseError extends EcrAuthError {
  /** The input that was rejected (registry names are not secret). */
  readonly input: string;

  /**
   * @param input - the rejected input.
   * @param message - why, and how to pass region and account explicitly.
   */
  constructor(input: string, message: string) {
    super('ECR_AUTH_INVALID_REGISTRY', message);
    this.input = input;
  }
}

/** An option passed to this library is invalid. */
export class InvalidOptionError extends EcrAuthError {
  /** @param message - which option and what is accepted. */
  constructor(message: string) {
    super('ECR_AUTH_INVALID_OPTION', message);
  }
}
