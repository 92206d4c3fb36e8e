// resolveTokenRequest decides which cache entry and API serve a request and which host the token is addressed
// to: ECR hosts place themselves, custom names need an explicit region, and invalid regions or accounts are
// refused before any call.
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, RegistryParseError } from './errors.js';
import { resolveTokenRequest } from './request.js';

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

describe('resolveTokenRequest', () => {
  it('places an ECR host by its own name: kind, region, account and the host the token carries', () => {
    expect(resolveTokenRequest(`https://${HOST}/team/app:v1`, 'us-east-1')).toStrictEqual({
      cacheKey: 'private|eu-west-1||',
      target: expect.objectContaining({ kind: 'private', region: 'eu-west-1', fips: false, dualStack: false }),
      registry: HOST,
      accountId: '123456789012',
      defaultRegistry: HOST,
    });
  });

  it('keeps FIPS and dual-stack hosts in cache entries of their own', () => {
    const fips = resolveTokenRequest('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com', undefined);
    expect(fips.cacheKey).toBe('private|us-gov-west-1|fips|');
    expect(fips.target).toMatchObject({ kind: 'private', region: 'us-gov-west-1', fips: true, dualStack: false });
    const dual = resolveTokenRequest('123456789012.dkr-ecr.eu-west-1.on.aws', undefined);
    expect(dual.cacheKey).toBe('private|eu-west-1||dualstack');
    expect(dual.target).toMatchObject({ kind: 'private', region: 'eu-west-1', fips: false, dualStack: true });
    const both = resolveTokenRequest('123456789012.dkr-ecr-fips.us-east-1.on.aws', undefined);
    expect(both.cacheKey).toBe('private|us-east-1|fips|dualstack');
  });

  it('places ECR Public by host or by flag, always in us-east-1', () => {
    expect(resolveTokenRequest({ public: true }, 'eu-west-1')).toStrictEqual({
      cacheKey: 'public|us-east-1||',
      target: { kind: 'public', region: 'us-east-1', fips: false, dualStack: false },
      registry: 'public.ecr.aws',
      accountId: undefined,
      defaultRegistry: 'public.ecr.aws',
    });
    const byHost = resolveTokenRequest('public.ecr.aws/nginx/nginx:latest', 'eu-west-1');
    expect(byHost.target.kind).toBe('public');
    expect(byHost.target.region).toBe('us-east-1');
    expect(byHost.registry).toBe('public.ecr.aws');
  });

  it('with no registry: the caller’s own private registry in the region asked, else the fallback', () => {
    expect(resolveTokenRequest({ region: 'eu-west-1', accountId: '210987654321' }, 'us-east-1')).toStrictEqual({
      cacheKey: 'private|eu-west-1||',
      target: { kind: 'private', region: 'eu-west-1', fips: false, dualStack: false },
      registry: undefined,
      accountId: '210987654321',
      defaultRegistry: 'ecr.eu-west-1.amazonaws.com',
    });
    expect(resolveTokenRequest({}, 'us-west-2').target.region).toBe('us-west-2');
    expect(resolveTokenRequest({}, 'cn-north-1').defaultRegistry).toBe('ecr.cn-north-1.amazonaws.com.cn');
    expect(() => resolveTokenRequest({}, undefined)).toThrow(new InvalidOptionError('no AWS region: pass `region`, set AWS_REGION, or name a registry host'));
    expect(() => resolveTokenRequest({}, '')).toThrow(InvalidOptionError);
  });

  it('refuses region names that are not AWS region names', () => {
    for (const region of ['US-EAST-1', 'us-east', 'useast1', 'u-east-1', 'uswest-east-1', 'us-east-123', ' us-east-1', 'us-east-1 ', 'us-east-1/x', 'x.us-east-1', '-east-1']) {
      expect(() => resolveTokenRequest({ region }, undefined), region).toThrow(new InvalidOptionError(`"${region}" is not an AWS region name (like us-east-1)`));
    }
    // Negative control: real region names of several partitions.
    for (const region of ['us-east-1', 'us-gov-west-1', 'cn-northwest-1', 'ap-southeast-5', 'eusc-de-east-1', 'us-isob-east-1', 'il-central-1', 'eu-central-12']) {
      expect(resolveTokenRequest({ region }, undefined).target.region).toBe(region);
    }
  });

  it('refuses an account id that is not 12 digits', () => {
    for (const accountId of ['12345678901', '1234567890123', 'a23456789012', ' 123456789012', '123456789012\n', '']) {
      expect(() => resolveTokenRequest({ region: 'us-east-1', accountId }, undefined), JSON.stringify(accountId)).toThrow(
        new InvalidOptionError(`accountId must be 12 digits, got "${accountId}"`),
      );
    }
    expect(resolveTokenRequest({ region: 'us-east-1', accountId: '123456789012' }, undefined).accountId).toBe('123456789012');
  });

  it('refuses a region that contradicts the registry host, and accepts the same one', () => {
    expect(() => resolveTokenRequest({ registry: HOST, region: 'us-east-1' }, undefined)).toThrow(
      new InvalidOptionError(`region "us-east-1" does not match registry ${HOST}, which is in eu-west-1`),
    );
    expect(resolveTokenRequest({ registry: HOST, region: 'eu-west-1' }, undefined).registry).toBe(HOST);
  });

  it('places a custom name only with an explicit region, as private unless asked for public', () => {
    expect(() => resolveTokenRequest('ecr-proxy.example.com/app:v1', 'us-east-1')).toThrow(RegistryParseError);
    expect(resolveTokenRequest({ registry: 'https://ECR-proxy.example.com:8443/app:v1', region: 'eu-west-1', accountId: '123456789012' }, undefined)).toStrictEqual({
      cacheKey: 'private|eu-west-1||',
      target: { kind: 'private', region: 'eu-west-1', fips: false, dualStack: false },
      registry: 'ecr-proxy.example.com:8443',
      accountId: '123456789012',
      defaultRegistry: 'ecr-proxy.example.com:8443',
    });
    expect(resolveTokenRequest({ registry: 'mirror.example.com', region: 'eu-west-1', public: true, accountId: '123456789012' }, undefined)).toStrictEqual({
      cacheKey: 'public|us-east-1||',
      target: { kind: 'public', region: 'us-east-1', fips: false, dualStack: false },
      registry: 'mirror.example.com',
      accountId: undefined,
      defaultRegistry: 'mirror.example.com',
    });
    // The explicit region of a custom name is checked like any other.
    expect(() => resolveTokenRequest({ registry: 'mirror.example.com', region: 'Europe' }, undefined)).toThrow(/"Europe" is not an AWS region name/);
    // A malformed custom name is still refused.
    expect(() => resolveTokenRequest({ registry: 'not a host', region: 'eu-west-1' }, undefined)).toThrow(RegistryParseError);
  });
});
