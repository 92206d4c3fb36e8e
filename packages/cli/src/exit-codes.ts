/**
 * Exit codes of `ecr-auth`, and how errors map to them.
 *
 * @module
 */

/**
 * Exit codes of the `ecr-auth` command. `docker-credential-ecr-auth` follows the credential helper
 * protocol instead: 0 on success, 1 on any error (with `credentials not found in native keychain` on stdout
 * when it has no credentials to give).
 */
export const EXIT_CODES = {
  /** Success. */
  ok: 0,
  /** An unexpected error (a bug, a broken installation such as a missing AWS SDK package, or a failure not listed below). */
  error: 1,
  /** Bad input: unknown command or flag, malformed registry, invalid option or configuration file. */
  usage: 2,
  /** No AWS credentials found, or AWS rejected them (unknown key, bad signature, expired session). */
  credentials: 3,
  /** Access denied: the identity may not call `GetAuthorizationToken`. */
  accessDenied: 4,
  /** The ECR endpoint could not be reached in time (refused, reset, DNS, timeout). */
  network: 5,
  /** ECR answered with an error: throttled after retries (or still backing off after such a failure), a service error, an unusable token. */
  service: 6,
  /** An auth file could not be written: unparseable (left untouched), not writable, locked, or shadowed by a credential helper. */
  authFile: 7,
  /** Interrupted by SIGINT or SIGTERM before it was done (`login --watch` exits 0 instead). */
  interrupted: 130,
} as const;

/**
 * The exit code for an error thrown by `ecr-auth`, the adapters or the CLI itself, from its `code`.
 *
 * @param error - anything thrown.
 * @returns one of {@link EXIT_CODES}.
 *
 * @example
 * ```ts
 * import { exitCodeFor } from '@ecr-auth/cli';
 * import { getToken } from 'ecr-auth';
 *
 * try {
 *   await getToken();
 * } catch (error) {
 *   process.exitCode = exitCodeFor(error); // e.g. 4 for access denied, as the CLI exits
 * }
 * ```
 */
export function exitCodeFor(error: unknown): number {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  switch (code) {
    case 'ECR_AUTH_USAGE':
    case 'ECR_AUTH_INVALID_REGISTRY':
    case 'ECR_AUTH_INVALID_OPTION':
    case 'ECR_AUTH_INVALID_CONFIG':
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return EXIT_CODES.usage;
    case 'ECR_AUTH_NO_CREDENTIALS':
    case 'ECR_AUTH_INVALID_CREDENTIALS':
      return EXIT_CODES.credentials;
    case 'ECR_AUTH_ACCESS_DENIED':
      return EXIT_CODES.accessDenied;
    case 'ECR_AUTH_NETWORK':
    case 'ECR_AUTH_ABORTED':
      return EXIT_CODES.network;
    case 'ECR_AUTH_THROTTLED':
    case 'ECR_AUTH_COOLDOWN':
    case 'ECR_AUTH_SERVICE':
    case 'ECR_AUTH_TOKEN_EXPIRED':
    case 'ECR_AUTH_INVALID_TOKEN':
      return EXIT_CODES.service;
    case 'ECR_AUTH_FILE_INVALID':
    case 'ECR_AUTH_FILE_ACCESS':
    case 'ECR_AUTH_FILE_LOCK_TIMEOUT':
    case 'ECR_AUTH_ENTRY_SHADOWED':
    case 'ECR_AUTH_CREDENTIAL_HELPER_FAILED':
    case 'ECR_AUTH_TOOL_LOGIN_FAILED':
      return EXIT_CODES.authFile;
    default:
      return EXIT_CODES.error;
  }
}

/** A command line that cannot be run (exit code 2). */
export class UsageError extends Error {
  /** Always `ECR_AUTH_USAGE`. */
  readonly code = 'ECR_AUTH_USAGE';

  /** @param message - what is wrong. */
  constructor(message: string) {
    super(message.startsWith('ecr-auth:') ? message : `ecr-auth: ${message}`);
    this.name = 'UsageError';
  }
}
