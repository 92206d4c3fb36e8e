/**
 * The one error class of the package.
 *
 * @module
 */

/**
 * What went wrong, as a stable code for programs.
 *
 * @example
 * ```ts
 * if (error instanceof CredentialProviderError && error.code === 'ECR_AUTH_K8S_NOT_OURS') skipThisImage();
 * ```
 */
export type CredentialProviderErrorCode =
  | 'ECR_AUTH_K8S_BAD_REQUEST'
  | 'ECR_AUTH_K8S_NOT_OURS'
  | 'ECR_AUTH_K8S_DEADLINE'
  | 'ECR_AUTH_K8S_SERVICE_ACCOUNT';

/**
 * A request the credential provider refuses, or could not answer. Its message is one line, prefixed with
 * `ecr-auth-credential-provider:`, and never holds a secret: it is what the kubelet logs.
 *
 * @example
 * ```ts
 * try {
 *   parseCredentialProviderRequest('{"kind":"Pod"}');
 * } catch (error) {
 *   if (error instanceof CredentialProviderError) console.error(error.code, error.message);
 * }
 * ```
 */
export class CredentialProviderError extends Error {
  /** A stable code: see {@link CredentialProviderErrorCode}. */
  readonly code: CredentialProviderErrorCode;

  /**
   * @param code - the code.
   * @param message - what is wrong (one line; the prefix is added, in place of `ecr-auth: ` where the message
   *   comes from the CLI's modules).
   */
  constructor(code: CredentialProviderErrorCode, message: string) {
    // Stryker disable next-line StringLiteral: split always returns at least one element, so the ?? fallback is never taken
    super(`ecr-auth-credential-provider: ${(message.split('\n')[0] ?? '').replace(/^ecr-auth: /, '')}`);
    this.name = 'CredentialProviderError';
    this.code = code;
  }
}
