/**
 * The error the emulator answers with, in the AWS JSON 1.1 form.
 *
 * @module
 */

/** The JSON body of an AWS JSON 1.1 error response. */
export interface AwsErrorBody {
  /** The AWS error code, e.g. `ThrottlingException`. */
  __type: string;
  /** The human-readable message. */
  message: string;
}

/**
 * An AWS service error as the emulator sends it: HTTP status, the `x-amzn-ErrorType` header and a
 * `{"__type", "message"}` JSON body.
 *
 * @example
 * ```ts
 * throw new AwsApiError('InvalidParameterException', 'registryIds must not be empty');
 * ```
 */
export class AwsApiError extends Error {
  /** The AWS error code, sent as `__type` and `x-amzn-ErrorType`, such as `ThrottlingException`. */
  readonly type: string;
  /** The HTTP status: 400 for client errors (the default), 500 for server errors. */
  readonly status: number;

  /**
   * @param type - the AWS error code, such as `InvalidSignatureException`
   * @param message - the human-readable message, sent as `message`
   * @param status - the HTTP status, 400 unless given
   */
  constructor(type: string, message: string, status = 400) {
    super(message);
    this.name = 'AwsApiError';
    this.type = type;
    this.status = status;
  }

  /** The JSON body AWS sends for this error. */
  toJSON(): AwsErrorBody {
    return { __type: this.type, message: this.message };
  }
}
