// What classifyError tells the caller, word for word, per kind of failure, and the details it keeps (cause, AWS
// code, HTTP status, request id): the messages are the user's only guide to the fix.
import { describe, expect, it } from 'vitest';
import { classifyError } from './classify-error.js';
import type { EcrApiError} from './errors.js';
import { CredentialsError, InvalidOptionError, ThrottlingError } from './errors.js';

const sdkError = (name: string, fields: Record<string, unknown> = {}): Error => Object.assign(new Error(`${name} message`), { name, ...fields });
const classify = (error: unknown) => classifyError(error, 'private', 'private ECR in us-east-1');
const metadata = { httpStatusCode: 400, requestId: 'req-42' };

describe('classifyError messages', () => {
  it('no credentials: what to set, with the SDK’s first line', () => {
    const error = sdkError('CredentialsProviderError', { message: 'Could not load credentials from any providers\nmore', $metadata: metadata });
    const typed = classify(error);
    expect(typed).toBeInstanceOf(CredentialsError);
    expect(typed.message).toBe(
      'ecr-auth: no AWS credentials found (Could not load credentials from any providers). Set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ' +
        'run `aws sso login`, or pass `credentials` to the provider',
    );
    expect(typed).toMatchObject({ awsErrorCode: 'CredentialsProviderError', httpStatusCode: 400, requestId: 'req-42', retryable: false });
    expect(typed.cause).toBe(error);
  });

  it('a missing region: where to set one', () => {
    const typed = classify(new Error('Region is missing'));
    expect(typed).toBeInstanceOf(InvalidOptionError);
    expect(typed.message).toBe('ecr-auth: no AWS region: pass `region`, set AWS_REGION, or use a registry host that names its region');
  });

  it('rejected credentials, with or without the SDK’s metadata', () => {
    const typed = classify(sdkError('UnrecognizedClientException', { message: 'The security token included in the request is invalid.', $metadata: { ...metadata, httpStatusCode: 403 } }));
    expect(typed.message).toBe(
      'ecr-auth: AWS rejected the credentials (UnrecognizedClientException: The security token included in the request is invalid.). ' +
        'Check the access key, secret and session token in use, or refresh an expired session',
    );
    expect(typed).toMatchObject({ awsErrorCode: 'UnrecognizedClientException', httpStatusCode: 403, requestId: 'req-42', retryable: false });
    const bare = classify(sdkError('InvalidSignatureException'));
    expect(bare).toBeInstanceOf(CredentialsError);
    expect((bare as CredentialsError).retryable).toBe(false);
    const skew = classify(sdkError('InvalidSignatureException', { message: 'Signature expired', $metadata: { clockSkewCorrected: true } }));
    expect(skew.message).toBe('ecr-auth: AWS rejected the request time (Signature expired); the clock offset was corrected, retrying');
  });

  it('throttling: which exception, and to slow down', () => {
    const typed = classify(sdkError('ThrottlingException', { $metadata: { ...metadata, httpStatusCode: 400 } }));
    expect(typed).toBeInstanceOf(ThrottlingError);
    expect(typed.message).toBe('ecr-auth: ECR throttled the request (ThrottlingException); slow down or retry later');
    expect(typed).toMatchObject({ awsErrorCode: 'ThrottlingException', requestId: 'req-42', retryable: true });
  });

  it('a network failure: where, the code (or name) and the first line', () => {
    const typed = classify(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9\nstack'), { code: 'ECONNREFUSED' }));
    expect(typed.message).toBe('ecr-auth: could not reach ECR at private ECR in us-east-1 (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9)');
    expect(typed).toMatchObject({ code: 'ECR_AUTH_NETWORK', awsErrorCode: 'ECONNREFUSED', retryable: true });
    expect(classify(sdkError('TimeoutError', { message: 'timed out' })).message).toBe('ecr-auth: could not reach ECR at private ECR in us-east-1 (TimeoutError: timed out)');
  });

  it('anything else: the name, the status when there is one, and the first line', () => {
    expect(classify(sdkError('ValidationException', { message: 'bad\nparameter', $metadata: metadata })).message).toBe(
      'ecr-auth: GetAuthorizationToken failed (ValidationException, HTTP 400: bad)',
    );
    expect(classify(sdkError('Weird', { message: 'first line\nsecond line' })).message).toBe('ecr-auth: GetAuthorizationToken failed (Weird: first line)');
    // No name, no message, not even an object.
    expect(classify({}).message).toBe('ecr-auth: GetAuthorizationToken failed (Error: )');
    expect(classify('a string').message).toBe('ecr-auth: GetAuthorizationToken failed (Error: )');
    const typed = classify({}) as EcrApiError;
    expect(typed.awsErrorCode).toBeUndefined();
    expect(typed.code).toBe('ECR_AUTH_SERVICE');
  });
});
