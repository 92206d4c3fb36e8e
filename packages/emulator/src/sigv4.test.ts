import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import {
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  deriveSigningKey,
  parseAmzDate,
  sha256Hex,
  signSigV4,
  signatureOf,
  stringToSign,
  toAmzDate,
  verifySigV4,
  type SigV4Credential,
  type SigV4Request,
} from './sigv4.ts';
import { AwsApiError } from './errors.ts';

// AWS's SigV4 documentation and test suite use these example credentials.
const SUITE: SigV4Credential = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SUITE_TIME = Date.UTC(2015, 7, 30, 12, 36, 0);
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function errorOf(fn: () => unknown): AwsApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AwsApiError) return error;
    throw error;
  }
  throw new Error('expected an AwsApiError');
}

describe('SigV4 building blocks against AWS published vectors', () => {
  it('derives the documented signing key (IAM example, 20120215)', () => {
    expect(deriveSigningKey(SUITE.secretAccessKey, '20120215', 'us-east-1', 'iam').toString('hex')).toBe(
      'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d',
    );
  });

  it('reproduces the documented IAM ListUsers example step by step', () => {
    const request = {
      method: 'GET',
      url: '/?Action=ListUsers&Version=2010-05-08',
      headers: [
        ['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'],
        ['Host', 'iam.amazonaws.com'],
        ['X-Amz-Date', '20150830T123600Z'],
      ] as const,
    };
    const canonical = canonicalRequest(request, ['content-type', 'host', 'x-amz-date'], EMPTY_SHA256);
    expect(canonical).toBe(
      [
        'GET',
        '/',
        'Action=ListUsers&Version=2010-05-08',
        'content-type:application/x-www-form-urlencoded; charset=utf-8',
        'host:iam.amazonaws.com',
        'x-amz-date:20150830T123600Z',
        '',
        'content-type;host;x-amz-date',
        EMPTY_SHA256,
      ].join('\n'),
    );
    expect(sha256Hex(canonical)).toBe('f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59');
    const toSign = stringToSign('20150830T123600Z', '20150830/us-east-1/iam/aws4_request', canonical);
    const key = deriveSigningKey(SUITE.secretAccessKey, '20150830', 'us-east-1', 'iam');
    expect(key.toString('hex')).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
    expect(signatureOf(key, toSign)).toBe('5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
  });

  it.each([
    ['get-vanilla', 'GET', '/', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
    ['post-vanilla', 'POST', '/', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
    [
      'get-vanilla-query-order-key-case',
      'GET',
      '/?Param2=value2&Param1=value1',
      'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
    ],
  ])('signs and verifies the test suite case %s', (_name, method, url, signature) => {
    const headers = signSigV4(
      { method, url, headers: [['Host', 'example.amazonaws.com']], body: '' },
      { credential: SUITE, region: 'us-east-1', service: 'service', now: SUITE_TIME },
    );
    const authorization = headers.find(([n]) => n === 'authorization')?.[1];
    expect(authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
    );
    const verified = verifySigV4(
      { method, url, headers, body: '' },
      { findCredential: (id) => (id === SUITE.accessKeyId ? SUITE : undefined), now: SUITE_TIME },
    );
    expect(verified).toMatchObject({ region: 'us-east-1', service: 'service', requestTime: SUITE_TIME });
  });

  it('normalizes paths and queries as SigV4 says', () => {
    expect(canonicalUri('/')).toBe('/');
    expect(canonicalUri('/a/./b/../c/')).toBe('/a/c/');
    expect(canonicalUri('/a%20b')).toBe('/a%2520b');
    expect(canonicalQueryString('b=2&a=2&a=1&c')).toBe('a=1&a=2&b=2&c=');
    expect(canonicalQueryString('k=a%20b*')).toBe('k=a%20b%2A');
  });

  it('parses and formats request times', () => {
    expect(toAmzDate(SUITE_TIME)).toBe('20150830T123600Z');
    expect(parseAmzDate('20150830T123600Z')).toBe(SUITE_TIME);
    expect(parseAmzDate('20150230T123600Z')).toBeUndefined();
    expect(parseAmzDate('2015-08-30T12:36:00Z')).toBeUndefined();
  });
});

describe('verifySigV4 refusals (each beside a passing control)', () => {
  const credential: SigV4Credential = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-key' };
  const now = Date.UTC(2024, 0, 15, 10, 0, 0);
  const base: SigV4Request = {
    method: 'POST',
    url: '/',
    headers: [
      ['Host', '127.0.0.1:4566'],
      ['Content-Type', 'application/x-amz-json-1.1'],
      ['X-Amz-Target', 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken'],
    ],
    body: '{}',
  };
  const sign = (options: { credential?: SigV4Credential; service?: string; region?: string; at?: number } = {}): SigV4Request => ({
    ...base,
    headers: signSigV4(base, {
      credential: options.credential ?? credential,
      region: options.region ?? 'us-east-1',
      service: options.service ?? 'ecr',
      now: options.at ?? now,
    }),
  });
  const verify = (request: SigV4Request, credentials: SigV4Credential[] = [credential], at = now) =>
    verifySigV4(request, {
      findCredential: (id) => credentials.find((c) => c.accessKeyId === id),
      now: at,
      expectedService: 'ecr',
    });

  it('accepts a correctly signed request', () => {
    expect(verify(sign()).credential).toEqual(credential);
  });

  it('refuses a tampered body', () => {
    expect(errorOf(() => verify({ ...sign(), body: '{"registryIds":["111111111111"]}' })).type).toBe('InvalidSignatureException');
  });

  it('refuses a tampered signed header', () => {
    const headers = sign().headers.map(([n, v]): [string, string] => (n === 'X-Amz-Target' ? [n, 'Other.Op'] : [n, v]));
    expect(errorOf(() => verify({ ...base, headers })).message).toMatch(/^The request signature we calculated does not match/);
  });

  it('refuses a wrong secret and an unknown key with the AWS codes', () => {
    expect(errorOf(() => verify(sign({ credential: { ...credential, secretAccessKey: 'nope' } }))).type).toBe(
      'InvalidSignatureException',
    );
    const unknown = errorOf(() => verify(sign({ credential: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'x' } })));
    expect([unknown.type, unknown.message]).toEqual(['UnrecognizedClientException', 'The security token included in the request is invalid.']);
  });

  it('refuses a request more than 5 minutes off, either way, and accepts one just inside', () => {
    expect(verify(sign({ at: now - 299_000 })).region).toBe('us-east-1');
    expect(verify(sign({ at: now + 299_000 })).region).toBe('us-east-1');
    const old = errorOf(() => verify(sign({ at: now - 301_000 })));
    expect(old.type).toBe('InvalidSignatureException');
    expect(old.message).toBe('Signature expired: 20240115T095459Z is now earlier than 20240115T095500Z (20240115T100000Z - 5 min.)');
    expect(errorOf(() => verify(sign({ at: now + 301_000 }))).message).toMatch(/^Signature not yet current: /);
  });

  it('refuses a scope for the wrong service', () => {
    expect(errorOf(() => verify(sign({ service: 'ecr-public' }))).message).toBe("Credential should be scoped to correct service: 'ecr'. ");
  });

  it('requires the session token of temporary credentials, and only that one', () => {
    const temporary = { ...credential, sessionToken: 'session-token' };
    expect(verify(sign({ credential: temporary }), [temporary]).credential).toEqual(temporary);
    expect(errorOf(() => verify(sign(), [temporary])).type).toBe('UnrecognizedClientException');
    expect(errorOf(() => verify(sign({ credential: { ...temporary, sessionToken: 'other' } }), [temporary])).type).toBe(
      'UnrecognizedClientException',
    );
    expect(errorOf(() => verify(sign({ credential: temporary }), [credential])).type).toBe('UnrecognizedClientException');
  });

  it('refuses missing and malformed Authorization headers', () => {
    expect(errorOf(() => verify(base)).type).toBe('MissingAuthenticationTokenException');
    const withAuth = (value: string): SigV4Request => ({ ...base, headers: [...base.headers, ['Authorization', value]] });
    expect(errorOf(() => verify(withAuth('Basic dXNlcjpwYXNz'))).type).toBe('IncompleteSignatureException');
    expect(errorOf(() => verify(withAuth('AWS4-HMAC-SHA256 Credential=AKIDTEST/20240115/us-east-1/ecr/aws4_request'))).type).toBe(
      'IncompleteSignatureException',
    );
  });
});

describe('verifySigV4 against a request the real AWS SDK signed', () => {
  it('verifies it, and refuses it once a byte changes', async () => {
    const credential: SigV4Credential = { accessKeyId: 'AKIDSDK', secretAccessKey: 'sdk/secret+key' };
    let captured: SigV4Request | undefined;
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const pairs: [string, string][] = [];
        for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '']);
        captured = { method: req.method ?? '', url: req.url ?? '', headers: pairs, body: Buffer.concat(chunks) };
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end('{"authorizationData":[]}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new ECRClient({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: credential,
      maxAttempts: 1,
    });
    try {
      await client.send(new GetAuthorizationTokenCommand({ registryIds: ['111111111111'] }));
    } finally {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
    if (captured === undefined) throw new Error('no request captured');
    const request = captured;
    const options = { findCredential: () => credential, now: Date.now(), expectedService: 'ecr' };
    expect(verifySigV4(request, options)).toMatchObject({ region: 'eu-west-1', service: 'ecr' });
    expect(errorOf(() => verifySigV4({ ...request, body: '{"registryIds":["111111111112"]}' }, options)).type).toBe(
      'InvalidSignatureException',
    );
    expect(
      errorOf(() => verifySigV4(request, { ...options, findCredential: () => ({ ...credential, secretAccessKey: 'sdk/secret+kez' }) })).type,
    ).toBe('InvalidSignatureException');
  });
});
