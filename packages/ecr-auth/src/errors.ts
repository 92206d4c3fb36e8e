import type { RegistryKind } from './token.js';

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
  | 'ECR_AUTH_ABORTED'
  | 'ECR_AUTH_SDK_MISSING'
  // Auth files, credential helpers and tool logins (`@ecr-auth/auth-file` and the adapters):
  | 'ECR_AUTH_FILE_INVALID'
  | 'ECR_AUTH_FILE_ACCESS'
  | 'ECR_AUTH_FILE_LOCK_TIMEOUT'
  | 'ECR_AUTH_ENTRY_SHADOWED'
  | 'ECR_AUTH_CREDENTIAL_HELPER_FAILED'
  | 'ECR_AUTH_TOOL_LOGIN_FAILED';

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

/**
 * A base64 authorization token could not be decoded into a user name and password.
 *
 * @example
 * ```ts
 * import { decodeAuthorizationToken, TokenDecodeError } from 'ecr-auth';
 *
 * try {
 *   decodeAuthorizationToken('not base64 of user:password');
 * } catch (error) {
 *   if (error instanceof TokenDecodeError) console.error(error.code); // 'ECR_AUTH_INVALID_TOKEN'
 * }
 * ```
 */
export class TokenDecodeError extends EcrAuthError {
  /** @param message - what is wrong with the token (never the token itself). */
  constructor(message: string) {
    super('ECR_AUTH_INVALID_TOKEN', message);
  }
}

/**
 * A registry host, URL or image reference is not an ECR registry this library can place.
 *
 * @example
 * ```ts
 * import { parseRegistry, RegistryParseError } from 'ecr-auth';
 *
 * try {
 *   parseRegistry('registry.example.com');
 * } catch (error) {
 *   // not an ECR host: pass { registry, region, accountId } to getToken instead
 *   if (error instanceof RegistryParseError) console.error(error.input, error.message);
 * }
 * ```
 */
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

/**
 * An option passed to this library is invalid.
 *
 * @example
 * ```ts
 * import { EcrTokenProvider, InvalidOptionError } from 'ecr-auth';
 *
 * try {
 *   new EcrTokenProvider({ retry: { retries: -1 } });
 * } catch (error) {
 *   if (error instanceof InvalidOptionError) console.error(error.message); // names the option
 * }
 * ```
 */
export class InvalidOptionError extends EcrAuthError {
  /** @param message - which option and what is accepted. */
  constructor(message: string) {
    super('ECR_AUTH_INVALID_OPTION', message);
  }
}

/** The IAM actions `GetAuthorizationToken` needs, per registry kind. */
export const REQUIRED_ACTIONS: Readonly<Record<RegistryKind, readonly string[]>> = {
  private: ['ecr:GetAuthorizationToken'],
  public: ['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken'],
};

/** Details of a failed ECR API call, as carried by {@link EcrApiError}. */
export interface EcrApiErrorDetails extends EcrAuthErrorOptions {
  /** The AWS error code, e.g. `ThrottlingException`, or the Node error code for network failures. */
  awsErrorCode?: string | undefined;
  /** The HTTP status of the response, when there was one. */
  httpStatusCode?: number | undefined;
  /** The AWS request id, for support cases. */
  requestId?: string | undefined;
  /** Whether trying again later may succeed. */
  retryable?: boolean | undefined;
  /** How many API calls were made before giving up. */
  attempts?: number | undefined;
}

/**
 * A call to `GetAuthorizationToken` failed. Subclasses name the kinds callers branch on; this class itself
 * covers the rest (an invalid parameter, an unexpected service error).
 *
 * @example
 * ```ts
 * import { EcrApiError, getToken } from 'ecr-auth';
 *
 * try {
 *   await getToken();
 * } catch (error) {
 *   if (error instanceof EcrApiError) console.error(error.code, error.message); // AWS's error, classified
 *   else throw error;
 * }
 * ```
 */
export class EcrApiError extends EcrAuthError {
  /** The AWS error code, e.g. `ThrottlingException`, or the Node error code for network failures. */
  readonly awsErrorCode: string | undefined;
  /** The HTTP status of the response, when there was one. */
  readonly httpStatusCode: number | undefined;
  /** The AWS request id, for support cases. */
  readonly requestId: string | undefined;
  /** Whether trying again later may succeed. */
  readonly retryable: boolean;
  /** How many API calls were made before giving up (set once retries are over). */
  attempts: number;

  /**
   * @param code - the stable code of this failure.
   * @param message - what went wrong and what to do.
   * @param details - the AWS error code, status, request id, retryability and cause.
   */
  constructor(code: EcrAuthErrorCode, message: string, details: EcrApiErrorDetails = {}) {
    super(code, message, 'cause' in details ? { cause: details.cause } : {});
    this.awsErrorCode = details.awsErrorCode;
    this.httpStatusCode = details.httpStatusCode;
    this.requestId = details.requestId;
    this.retryable = details.retryable ?? false;
    this.attempts = details.attempts ?? 1;
  }
}

/**
 * The caller's AWS identity may not call `GetAuthorizationToken`. The message names the missing actions
 * and the minimal IAM policy; {@link AccessDeniedError.policy} holds that policy as JSON text.
 *
 * @example
 * ```ts
 * try {
 *   await getToken();
 * } catch (error) {
 *   if (error instanceof AccessDeniedError) console.error(`attach this policy: ${error.policy}`);
 *   else throw error;
 * }
 * ```
 */
export class AccessDeniedError extends EcrApiError {
  /** The IAM actions the caller needs. */
  readonly requiredActions: readonly string[];
  /** A minimal IAM policy granting {@link AccessDeniedError.requiredActions}, as JSON text. */
  readonly policy: string;

  /**
   * @param requiredActions - the IAM actions the caller lacks.
   * @param details - the AWS error details.
   */
  constructor(requiredActions: readonly string[], details: EcrApiErrorDetails = {}) {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: [...requiredActions], Resource: '*' }],
    });
    super(
      'ECR_AUTH_ACCESS_DENIED',
      `access denied: the AWS identity in use is not allowed ${requiredActions.join(' and ')}. ` +
        `Grant it with this IAM policy: ${policy}`,
      { ...details, retryable: false },
    );
    this.requiredActions = requiredActions;
    this.policy = policy;
  }
}

/**
 * No AWS credentials could be found, or AWS rejected them (unknown key, bad signature, expired session).
 *
 * @example
 * ```ts
 * import { CredentialsError, getToken } from 'ecr-auth';
 *
 * try {
 *   await getToken();
 * } catch (error) {
 *   if (error instanceof CredentialsError) console.error('check AWS_PROFILE, the role or the access keys');
 *   else throw error;
 * }
 * ```
 */
export class CredentialsError extends EcrApiError {}

/**
 * AWS kept answering `ThrottlingException` until the retries ran out.
 *
 * @example
 * ```ts
 * import { getToken, ThrottlingError } from 'ecr-auth';
 *
 * try {
 *   await getToken();
 * } catch (error) {
 *   if (error instanceof ThrottlingError) process.exitCode = 75; // try again later
 *   else throw error;
 * }
 * ```
 */
export class ThrottlingError extends EcrApiError {}

/**
 * The ECR endpoint could not be reached (refused, reset, timed out, DNS), even after retries.
 *
 * @example
 * ```ts
 * import { getToken, NetworkError } from 'ecr-auth';
 *
 * try {
 *   await getToken();
 * } catch (error) {
 *   if (error instanceof NetworkError) console.error(`cannot reach ECR (proxy? NO_PROXY?): ${error.message}`);
 *   else throw error;
 * }
 * ```
 */
export class NetworkError extends EcrApiError {}

/**
 * The token ECR returned was already expired, or within the safety margin, when it arrived; usually a
 * clock problem on the server side or a tiny token lifetime.
 *
 * @example
 * ```ts
 * import { getToken, TokenExpiredError } from 'ecr-auth';
 *
 * try {
 *   await getToken();
 * } catch (error) {
 *   if (error instanceof TokenExpiredError) console.error(`expired at ${error.expiresAt.toISOString()}: check the clock`);
 *   else throw error;
 * }
 * ```
 */
export class TokenExpiredError extends EcrAuthError {
  /** When the token expired, on the server's clock. */
  readonly expiresAt: Date;

  /**
   * @param registry - the registry the token was for.
   * @param expiresAt - when it expired.
   */
  constructor(registry: string, expiresAt: Date) {
    super(
      'ECR_AUTH_TOKEN_EXPIRED',
      `the token ECR returned for ${registry} expires at ${expiresAt.toISOString()}, inside the safety margin; ` +
        'check the clock of this machine or lower safetyMarginMs',
    );
    this.expiresAt = expiresAt;
  }
}

/**
 * The caller's `AbortSignal` fired before a token was ready. Other callers are not affected.
 *
 * @example
 * ```ts
 * import { AbortedError, getToken } from 'ecr-auth';
 *
 * try {
 *   await getToken(undefined, { signal: AbortSignal.timeout(2_000) });
 * } catch (error) {
 *   if (error instanceof AbortedError) console.error('gave up waiting for a token');
 *   else throw error;
 * }
 * ```
 */
export class AbortedError extends EcrAuthError {
  /** @param reason - the signal's reason, kept as `cause`. */
  constructor(reason: unknown) {
    super('ECR_AUTH_ABORTED', 'getToken was aborted by its caller', { cause: reason });
  }
}

/**
 * The AWS SDK client package is not installed where this program runs (and was not bundled with it). Not an
 * ECR failure: install the package, or let the bundler include it.
 *
 * @example
 * ```ts
 * try {
 *   await getToken();
 * } catch (error) {
 *   if (error instanceof SdkMissingError) console.error(`npm install ${error.packageName}`);
 * }
 * ```
 */
export class SdkMissingError extends EcrAuthError {
  /** The missing package, e.g. `@aws-sdk/client-ecr`. */
  readonly packageName: string;

  /**
   * @param packageName - the package that could not be loaded.
   * @param cause - the loader's error.
   */
  constructor(packageName: string, cause?: unknown) {
    super(
      'ECR_AUTH_SDK_MISSING',
      `${packageName} is not installed: run \`npm install ${packageName}\` beside ecr-auth, or, in a bundle, let the ` +
        'bundler include it (do not mark @aws-sdk/* as external unless they are installed where the bundle runs)',
      { cause },
    );
    this.packageName = packageName;
  }
}
