import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RegistryParseError } from './errors.js';
import { isEcrRegistry, parseRegistry, partitionDnsSuffix, registryHost } from './registry.js';

const account = fc.stringMatching(/^\d{12}$/);
const region = fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1', 'il-central-1');
const repoPart = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const repository = fc.array(repoPart, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
const digest = fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `sha256:${hex}`);

function hostFor(acct: string, reg: string, variant: 'ipv4' | 'fips' | 'dual' | 'dual-fips'): string {
  const dualSuffix = reg.startsWith('cn-') ? 'on.amazonwebservices.com.cn' : 'on.aws';
  switch (variant) {
    case 'ipv4':
      return `${acct}.dkr.ecr.${reg}.${partitionDnsSuffix(reg)}`;
    case 'fips':
      return `${acct}.dkr.ecr-fips.${reg}.${partitionDnsSuffix(reg)}`;
    case 'dual':
      return `${acct}.dkr-ecr.${reg}.${dualSuffix}`;
    case 'dual-fips':
      return `${acct}.dkr-ecr-fips.${reg}.${dualSuffix}`;
  }
}

describe('parseRegistry', () => {
  it.each([
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com', { region: 'us-east-1', dnsSuffix: 'amazonaws.com', fips: false, dualStack: false }],
    ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com', { region: 'us-gov-west-1', fips: true }],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', { region: 'cn-north-1', dnsSuffix: 'amazonaws.com.cn' }],
    ['123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu', { region: 'eusc-de-east-1', dnsSuffix: 'amazonaws.eu' }],
    ['123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov', { region: 'us-isob-east-1', dnsSuffix: 'sc2s.sgov.gov' }],
    ['123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov', { region: 'us-iso-east-1', dnsSuffix: 'c2s.ic.gov' }],
    ['123456789012.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk', { region: 'eu-isoe-west-1', dnsSuffix: 'cloud.adc-e.uk' }],
    ['123456789012.dkr.ecr.us-isof-south-1.csp.hci.ic.gov', { region: 'us-isof-south-1', dnsSuffix: 'csp.hci.ic.gov' }],
    ['123456789012.dkr-ecr.eu-west-1.on.aws', { region: 'eu-west-1', dnsSuffix: 'on.aws', dualStack: true }],
    ['123456789012.dkr-ecr-fips.us-east-1.on.aws', { fips: true, dualStack: true }],
    ['123456789012.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn', { region: 'cn-north-1', dualStack: true }],
  ])('places %s', (input, expected) => {
    const parsed = parseRegistry(input);
    expect(parsed).toMatchObject({ host: input, kind: 'private', accountId: '123456789012', ...expected });
  });

  it('accepts URLs and image references', () => {
    const host = '210987654321.dkr.ecr.eu-central-1.amazonaws.com';
    expect(parseRegistry(`https://${host}`)).toMatchObject({ host, repository: undefined });
    expect(parseRegistry(`https://${host}/`)).toMatchObject({ host, repository: undefined });
    expect(parseRegistry(`${host}/team/app:v1.2`)).toMatchObject({ host, repository: 'team/app', tag: 'v1.2' });
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseRegistry(`${host}/app@${digest}`)).toMatchObject({ host, repository: 'app', digest, tag: undefined });
    expect(parseRegistry(`${host.toUpperCase()}/app:latest`).host).toBe(host);
  });

  it('knows ECR Public and its dual-stack host', () => {
    expect(parseRegistry('public.ecr.aws/nginx/nginx:latest')).toMatchObject({ host: 'public.ecr.aws', kind: 'public', region: 'us-east-1', repository: 'nginx/nginx' });
    expect(parseRegistry('ecr-public.aws.com')).toMatchObject({ kind: 'public', dualStack: true });
  });

  it('round-trips every generated host, URL and reference (property)', () => {
    fc.assert(
      fc.property(
        account,
        region,
        fc.constantFrom('ipv4', 'fips', 'dual', 'dual-fips' as const),
        fc.constantFrom('bare', 'https', 'tag', 'digest'),
        repository,
        tag,
        digest,
        (acct, reg, variant, form, repo, t, d) => {
          const host = hostFor(acct, reg, variant);
          const input = { bare: host, https: `https://${host}`, tag: `${host}/${repo}:${t}`, digest: `${host}/${repo}@${d}` }[form];
          const parsed = parseRegistry(input);
          expect(parsed.host).toBe(host);
          expect(parsed.accountId).toBe(acct);
          expect(parsed.region).toBe(reg);
          expect(parsed.fips).toBe(variant.endsWith('fips'));
          expect(parsed.dualStack).toBe(variant.startsWith('dual'));
          if (form === 'tag') expect([parsed.repository, parsed.tag]).toEqual([repo, t]);
          if (form === 'digest') expect([parsed.repository, parsed.digest]).toEqual([repo, d]);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('only ever throws RegistryParseError on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.domain()), (input) => {
        try {
          const parsed = parseRegistry(input);
          expect(['private', 'public']).toContain(parsed.kind);
        } catch (error) {
          expect(error).toBeInstanceOf(RegistryParseError);
          expect((error as RegistryParseError).code).toBe('ECR_AUTH_INVALID_REGISTRY');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['', /empty/],
    ['registry.example.com', /not an ECR registry host.*region and account explicitly/s],
    ['12345678901.dkr.ecr.us-east-1.amazonaws.com', /not an ECR registry host/],
    ['123456789012.dkr.ecr.us-east-1.example.com', /not an ECR registry host/],
    ['123456789012.dkr-ecr.us-east-1.amazonaws.com', /not an ECR registry host/],
    ['123456789012.dkr.ecr.US_EAST.amazonaws.com', /not an ECR registry host/],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com', /partition/],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com.cn', /partition/],
    ['ftp://123456789012.dkr.ecr.us-east-1.amazonaws.com', /unsupported scheme/],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/App:v1', /not a valid repository/],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:xyz', /not a valid digest/],
  ])('rejects %j with a clear error', (input, message) => {
    expect(() => parseRegistry(input)).toThrow(RegistryParseError);
    expect(() => parseRegistry(input)).toThrow(message);
    expect(isEcrRegistry(input)).toBe(false);
  });

  it('points custom names at the explicit region/account path', () => {
    try {
      parseRegistry('ecr-proxy.internal.example.com/app:v1');
      expect.unreachable();
    } catch (error) {
      expect((error as RegistryParseError).input).toBe('ecr-proxy.internal.example.com/app:v1');
      expect((error as Error).message).toContain("region: 'us-east-1'");
      expect((error as Error).message).toContain('accountId');
    }
  });
});

describe('registryHost', () => {
  it('extracts the host of custom names, with a port', () => {
    expect(registryHost('https://Proxy.Example.com:8443/ns/app:v1')).toBe('proxy.example.com:8443');
    expect(registryHost('127.0.0.1:5000')).toBe('127.0.0.1:5000');
  });
  it('rejects what is not a host', () => {
    expect(() => registryHost('')).toThrow(RegistryParseError);
    expect(() => registryHost('bad host/app')).toThrow(RegistryParseError);
  });
});
