// classifyError decides which failures are retried: each SDK/network shape maps to one typed error and one
// retry decision. An unknown error must never be retried; server faults, throttling and resets must be.
import { describe, expect, it } from 'vitest';
import { classifyError } from './classify-error.js';
import { AbortedError, AccessDeniedError, CredentialsError, EcrApiError, InvalidOptionError, NetworkError, ThrottlingError } from './errors.js';

const sdkError = (name: string, fields: Record<string, unknown> = {}): Error => Object.assign(new Error(`${name} message`), { name, ...fields });
const classify = (error: unknown, endpoint = 'private ECR in us-east-1') => classifyError(error, 'private', endpoint);
const retryable = (error: unknown): boolean | undefined => {
  const typed = classify(error);
  return typed instanceof EcrApiError ? typed.retryable : undefined;
};

describe('classifyError', () => {
  it('never retries an error it does not know', () => {
    for (const unknown of [new Error('boom'), sdkError('ValidationException', { $fault: 'client', $metadata: { httpStatusCode: 400 } }), 'a string', 42, null, undefined, {}]) {
      const typed = classify(unknown);
      expect(typed).toBeInstanceOf(EcrApiError);
      expect(typed.constructor).toBe(EcrApiError);
      expect((typed as EcrApiError).retryable).toBe(false);
      expect(typed.code).toBe('ECR_AUTH_SERVICE');
    }
  });

  it('retries server faults, by $fault or by a 5xx status, and says which', () => {
    expect(retryable(sdkError('InternalFailure', { $fault: 'server' }))).toBe(true);
    expect(retryable(sdkError('Weird', { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(retryable(sdkError('Weird', { $metadata: { httpStatusCode: 500 } }))).toBe(true);
    // Boundary: 499 is a client error.
    expect(retryable(sdkError('Weird', { $metadata: { httpStatusCode: 499 } }))).toBe(false);
    const message = classify(sdkError('Weird', { $metadata: { httpStatusCode: 503 } })).message;
    expect(message).toContain('Weird, HTTP 503');
    expect(classify(new Error('x')).message).toContain('(Error: x)');
  });

  it('retries throttling, by name or HTTP 429', () => {
    for (const name of ['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'ProvisionedThroughputExceededException', 'SlowDown']) {
      const typed = classify(sdkError(name));
      expect(typed, name).toBeInstanceOf(ThrottlingError);
      expect((typed as ThrottlingError).retryable).toBe(true);
    }
    expect(classify(sdkError('Other', { $metadata: { httpStatusCode: 429 } }))).toBeInstanceOf(ThrottlingError);
  });

  it('retries network failures, by code, name or message, and names the endpoint', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']) {
      const typed = classify(Object.assign(new Error('connect failed'), { code }));
      expect(typed, code).toBeInstanceOf(NetworkError);
      expect((typed as NetworkError).retryable).toBe(true);
      expect(typed.message).toContain(code);
    }
    for (const name of ['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']) expect(classify(sdkError(name)), name).toBeInstanceOf(NetworkError);
    expect(classify(new Error('socket hang up'))).toBeInstanceOf(NetworkError);
    expect(classify(new Error('read ECONNRESET'))).toBeInstanceOf(NetworkError);
    expect(classify(new Error('Network is down'))).toBeInstanceOf(NetworkError);
    const message = classify(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 'http://user:pw@127.0.0.1:9/').message;
    expect(message).toContain('could not reach ECR at');
    expect(message).not.toContain('pw@');
    expect(classify(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 'private ECR in eu-west-1').message).toContain('at private ECR in eu-west-1 (ECONNREFUSED: refused)');
  });

  it('does not retry bad credentials, unless the SDK corrected a clock skew', () => {
    for (const name of ['UnrecognizedClientException', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'InvalidClientTokenId', 'ExpiredTokenException', 'ExpiredToken', 'IncompleteSignature', 'MissingAuthenticationToken']) {
      const typed = classify(sdkError(name, { $metadata: { httpStatusCode: 403 } }));
      expect(typed, name).toBeInstanceOf(CredentialsError);
      expect((typed as CredentialsError).retryable).toBe(false);
      expect(typed.code).toBe('ECR_AUTH_INVALID_CREDENTIALS');
      expect(typed.message).toContain('rejected the credentials');
    }
    const skew = classify(sdkError('InvalidSignatureException', { $metadata: { httpStatusCode: 403, clockSkewCorrected: true } }));
    expect((skew as CredentialsError).retryable).toBe(true);
    expect(skew.message).toContain('clock offset was corrected');
  });

  it("names STS's refusal of a web identity token as a credentials error, not as ECR's (control: an unknown 400 stays ECR's)", () => {
    for (const name of ['InvalidIdentityTokenException', 'InvalidIdentityToken', 'IDPRejectedClaimException', 'IDPRejectedClaim']) {
      const typed = classify(sdkError(name, { $metadata: { httpStatusCode: 400 } }));
      expect(typed, name).toBeInstanceOf(CredentialsError);
      expect([typed.code, (typed as CredentialsError).retryable]).toEqual(['ECR_AUTH_INVALID_CREDENTIALS', false]);
      expect(typed.message).toBe(`ecr-auth: STS refused the web identity token (${name}: ${name} message). Check the token (AWS_WEB_IDENTITY_TOKEN_FILE), the role (AWS_ROLE_ARN), and that the role trusts its issuer and audience`);
    }
    expect(classify(sdkError('InvalidParameterException', { $metadata: { httpStatusCode: 400 } })).code).toBe('ECR_AUTH_SERVICE');
  });

  it('types missing credentials, access denied, a missing region and aborts', () => {
    for (const name of ['CredentialsProviderError', 'TokenProviderError']) {
      const typed = classify(sdkError(name));
      expect(typed).toBeInstanceOf(CredentialsError);
      expect(typed.code).toBe('ECR_AUTH_NO_CREDENTIALS');
      expect((typed as CredentialsError).retryable).toBe(false);
    }
    expect(classify(sdkError('AccessDeniedException'))).toBeInstanceOf(AccessDeniedError);
    expect(classify(sdkError('AccessDenied'))).toBeInstanceOf(AccessDeniedError);
    expect(classify(sdkError('Forbidden', { $metadata: { httpStatusCode: 403 } }))).toBeInstanceOf(AccessDeniedError);
    expect(classify(new Error('Region is missing'))).toBeInstanceOf(InvalidOptionError);
    expect(classify(sdkError('AbortError'))).toBeInstanceOf(AbortedError);
  });

  it('keeps only the first line of AWS’s message, cut at 300 characters', () => {
    const long = classify(sdkError('Weird', { message: `${'a'.repeat(400)}\nsecond line` })).message;
    expect(long).toContain(`${'a'.repeat(300)}…`);
    expect(long).not.toContain('a'.repeat(301));
    expect(long).not.toContain('second line');
    const short = classify(sdkError('Weird', { message: `  ${'b'.repeat(300)}  ` })).message;
    expect(short).toContain(`(Weird: ${'b'.repeat(300)})`);
  });
});
