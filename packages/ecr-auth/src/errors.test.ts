// What every typed error hands its caller: the `ecr-auth: ` prefix (once), the subclass's name and stable code,
// the cause only when one was given, the API details with their defaults, and the exact text of the errors
// whose messages tell the user what to do.
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  AccessDeniedError,
  CredentialsError,
  EcrApiError,
  EcrAuthError,
  InvalidOptionError,
  NetworkError,
  REQUIRED_ACTIONS,
  RegistryParseError,
  SdkMissingError,
  ThrottlingError,
  TokenDecodeError,
  TokenExpiredError,
} from './errors.js';

describe('EcrAuthError', () => {
  it('prefixes the message with "ecr-auth: " once, and not when it is already there', () => {
    expect(new EcrAuthError('ECR_AUTH_SERVICE', 'boom').message).toBe('ecr-auth: boom');
    expect(new EcrAuthError('ECR_AUTH_SERVICE', 'ecr-auth: boom').message).toBe('ecr-auth: boom');
    // Only the exact prefix counts.
    expect(new EcrAuthError('ECR_AUTH_SERVICE', 'ecr-authority').message).toBe('ecr-auth: ecr-authority');
  });

  it('keeps a cause only when one is given, even an undefined one', () => {
    const cause = new Error('below');
    expect(new EcrAuthError('ECR_AUTH_SERVICE', 'x', { cause }).cause).toBe(cause);
    expect('cause' in new EcrAuthError('ECR_AUTH_SERVICE', 'x', { cause: undefined })).toBe(true);
    expect('cause' in new EcrAuthError('ECR_AUTH_SERVICE', 'x')).toBe(false);
    expect('cause' in new EcrAuthError('ECR_AUTH_SERVICE', 'x', {})).toBe(false);
  });

  it('names each error after its class, with its stable code', () => {
    const cases: [EcrAuthError, string, string][] = [
      [new EcrAuthError('ECR_AUTH_NETWORK', 'x'), 'EcrAuthError', 'ECR_AUTH_NETWORK'],
      [new TokenDecodeError('bad'), 'TokenDecodeError', 'ECR_AUTH_INVALID_TOKEN'],
      [new RegistryParseError('in', 'bad'), 'RegistryParseError', 'ECR_AUTH_INVALID_REGISTRY'],
      [new InvalidOptionError('bad'), 'InvalidOptionError', 'ECR_AUTH_INVALID_OPTION'],
      [new EcrApiError('ECR_AUTH_SERVICE', 'x'), 'EcrApiError', 'ECR_AUTH_SERVICE'],
      [new AccessDeniedError(['a:B']), 'AccessDeniedError', 'ECR_AUTH_ACCESS_DENIED'],
      [new CredentialsError('ECR_AUTH_NO_CREDENTIALS', 'x'), 'CredentialsError', 'ECR_AUTH_NO_CREDENTIALS'],
      [new ThrottlingError('ECR_AUTH_THROTTLED', 'x'), 'ThrottlingError', 'ECR_AUTH_THROTTLED'],
      [new NetworkError('ECR_AUTH_NETWORK', 'x'), 'NetworkError', 'ECR_AUTH_NETWORK'],
      [new TokenExpiredError('r', new Date(0)), 'TokenExpiredError', 'ECR_AUTH_TOKEN_EXPIRED'],
      [new AbortedError(undefined), 'AbortedError', 'ECR_AUTH_ABORTED'],
      [new SdkMissingError('@aws-sdk/client-ecr'), 'SdkMissingError', 'ECR_AUTH_SDK_MISSING'],
    ];
    for (const [error, name, code] of cases) {
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(error).toBeInstanceOf(EcrAuthError);
      expect(error).toBeInstanceOf(Error);
    }
  });

  it('keeps the rejected input of a RegistryParseError', () => {
    const error = new RegistryParseError('not a registry', 'why');
    expect(error.input).toBe('not a registry');
    expect(error.message).toBe('ecr-auth: why');
  });
});

describe('EcrApiError', () => {
  it('carries the AWS details it is given', () => {
    const cause = new Error('sdk');
    const error = new EcrApiError('ECR_AUTH_SERVICE', 'failed', { cause, awsErrorCode: 'Weird', httpStatusCode: 500, requestId: 'req-1', retryable: true, attempts: 3 });
    expect(error).toMatchObject({ awsErrorCode: 'Weird', httpStatusCode: 500, requestId: 'req-1', retryable: true, attempts: 3 });
    expect(error.cause).toBe(cause);
  });

  it('defaults to not retryable, one attempt, no details and no cause', () => {
    const error = new EcrApiError('ECR_AUTH_SERVICE', 'failed');
    expect(error.retryable).toBe(false);
    expect(error.attempts).toBe(1);
    expect(error.awsErrorCode).toBeUndefined();
    expect(error.httpStatusCode).toBeUndefined();
    expect(error.requestId).toBeUndefined();
    expect('cause' in error).toBe(false);
    // Negative control: a cause given as a detail is kept.
    expect('cause' in new EcrApiError('ECR_AUTH_SERVICE', 'failed', { cause: undefined })).toBe(true);
  });
});

describe('AccessDeniedError', () => {
  it('names the missing actions and the minimal policy, and is never retryable', () => {
    const error = new AccessDeniedError(REQUIRED_ACTIONS.public, { retryable: true, httpStatusCode: 403 });
    const policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr-public:GetAuthorizationToken","sts:GetServiceBearerToken"],"Resource":"*"}]}';
    expect(error.policy).toBe(policy);
    expect(error.message).toBe(
      'ecr-auth: access denied: the AWS identity in use is not allowed ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken. ' +
        `Grant it with this IAM policy: ${policy}`,
    );
    expect(error.requiredActions).toEqual(['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken']);
    expect(error.retryable).toBe(false);
    expect(error.httpStatusCode).toBe(403);
  });

  it('needs one action for private ECR and two for ECR Public', () => {
    expect(REQUIRED_ACTIONS.private).toEqual(['ecr:GetAuthorizationToken']);
    expect(REQUIRED_ACTIONS.public).toEqual(['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken']);
  });
});

describe('the errors that tell the user what to do', () => {
  it('TokenExpiredError: the registry, the expiry and the two remedies', () => {
    const expiresAt = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    const error = new TokenExpiredError('123456789012.dkr.ecr.us-east-1.amazonaws.com', expiresAt);
    expect(error.message).toBe(
      'ecr-auth: the token ECR returned for 123456789012.dkr.ecr.us-east-1.amazonaws.com expires at 2026-01-02T03:04:05.000Z, ' +
        'inside the safety margin; check the clock of this machine or lower safetyMarginMs',
    );
    expect(error.expiresAt).toBe(expiresAt);
  });

  it('AbortedError: keeps the signal’s reason as its cause', () => {
    const reason = new Error('caller gave up');
    const error = new AbortedError(reason);
    expect(error.message).toBe('ecr-auth: getToken was aborted by its caller');
    expect(error.cause).toBe(reason);
  });

  it('SdkMissingError: the package and how to install or bundle it', () => {
    const cause = new Error('Cannot find module');
    const error = new SdkMissingError('@aws-sdk/client-ecr-public', cause);
    expect(error.packageName).toBe('@aws-sdk/client-ecr-public');
    expect(error.cause).toBe(cause);
    expect(error.message).toBe(
      'ecr-auth: @aws-sdk/client-ecr-public is not installed: run `npm install @aws-sdk/client-ecr-public` beside ecr-auth, or, in a bundle, ' +
        'let the bundler include it (do not mark @aws-sdk/* as external unless they are installed where the bundle runs)',
    );
  });
});
