import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RegistryParseError } from './errors.js';
import { isEcrRegistry, parseRegistry, registryHost } from './registry.js';

const account = fc.stringMatching(/^\d{12}$/);
/** Each region's DNS suffix, written out (not computed by the code under test), and its dual-stack suffix where ECR has one. */
const PARTITIONS: Record<string, { suffix: string; dual?: string }> = {
  'us-east-1': { suffix: 'amazonaws.com', dual: 'on.aws' },
  'eu-west-1': { suffix: 'amazonaws.com', dual: 'on.aws' },
  'ap-southeast-2': { suffix: 'amazonaws.com', dual: 'on.aws' },
  'il-central-1': { suffix: 'amazonaws.com', dual: 'on.aws' },
  'us-gov-west-1': { suffix: 'amazonaws.com', dual: 'on.aws' },
  'cn-north-1': { suffix: 'amazonaws.com.cn', dual: 'on.amazonwebservices.com.cn' },
  'cn-northwest-1': { suffix: 'amazonaws.com.cn', dual: 'on.amazonwebservices.com.cn' },
  'us-iso-east-1': { suffix: 'c2s.ic.gov' },
  'us-isob-east-1': { suffix: 'sc2s.sgov.gov' },
  'eu-isoe-west-1': { suffix: 'cloud.adc-e.uk' },
  'us-isof-south-1': { suffix: 'csp.hci.ic.gov' },
  'eusc-de-east-1': { suffix: 'amazonaws.eu' },
};
const region = fc.constantFrom(...Object.keys(PARTITIONS));
const repoPart = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const repository = fc.array(repoPart, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
const digest = fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `sha256:${hex}`);

type Variant = 'ipv4' | 'fips' | 'dual' | 'dual-fips';

function hostFor(acct: string, reg: string, variant: Variant): string | undefined {
  const { suffix, dual } = PARTITIONS[reg] ?? { suffix: '' };
  switch (variant) {
    case 'ipv4':
      return `${acct}.dkr.ecr.${reg}.${suffix}`;
    case 'fips':
      return `${acct}.dkr.ecr-fips.${reg}.${suffix}`;
    case 'dual':
      return dual && `${acct}.dkr-ecr.${reg}.${dual}`;
    case 'dual-fips':
      return dual && `${acct}.dkr-ecr-fips.${reg}.${dual}`;
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
        fc.constantFrom<Variant>('ipv4', 'fips', 'dual', 'dual-fips'),
        fc.constantFrom('bare', 'https', 'tag', 'digest'),
        repository,
        tag,
        digest,
        (acct, reg, variant, form, repo, t, d) => {
          const host = hostFor(acct, reg, variant);
          if (host === undefined) return;
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

  it('refuses a suffix of another partition for every region (each region against every suffix)', () => {
    const suffixes = [...new Set(Object.values(PARTITIONS).flatMap((p) => [p.suffix, ...(p.dual ? [p.dual] : [])]))];
    for (const [reg, own] of Object.entries(PARTITIONS)) {
      for (const suffix of suffixes) {
        const ipv4 = `123456789012.dkr.ecr.${reg}.${suffix}`;
        const dual = `123456789012.dkr-ecr.${reg}.${suffix}`;
        expect(isEcrRegistry(ipv4), ipv4).toBe(suffix === own.suffix);
        expect(isEcrRegistry(dual), dual).toBe(suffix === own.dual);
      }
    }
  });

  it('treats :443 as no port, and refuses every other port', () => {
    const host = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
    expect(parseRegistry(`${host}:443`).host).toBe(host);
    expect(parseRegistry(`https://${host}:443/v2/`)).toMatchObject({ host, repository: undefined });
    expect(parseRegistry(`https://${host}/v1/`)).toMatchObject({ host, repository: undefined });
    expect(parseRegistry('public.ecr.aws:443/nginx/nginx:1').host).toBe('public.ecr.aws');
    for (const port of [':444', ':5000', ':0', ':', ':4430', ':443:443']) {
      expect(isEcrRegistry(`${host}${port}`), port).toBe(false);
      expect(isEcrRegistry(`https://${host}${port}/v2/`), port).toBe(false);
    }
  });

  it('refuses user information, control characters, spaces and non-ASCII look-alikes', () => {
    const host = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
    for (const input of [
      `user@${host}`,
      `https://user:pass@${host}/`,
      `https://${host}@evil.test/`,
      `https://evil.test@${host}/v2/`,
      `${host}\u0000`,
      `${host}\u001b[31m`,
      `123456789012.dkr.ecr.us-east-1.amazonaws.com\u3002evil.test`,
      // U+212A KELVIN SIGN lower-cases to an ASCII "k".
      '123456789012.d\u212Ar.ecr.us-east-1.amazonaws.com',
      'public.ecr.\u0430ws',
      `${host} evil.test`,
      `\u00a0${host}`,
    ]) {
      expect(isEcrRegistry(input), JSON.stringify(input)).toBe(false);
    }
    // Negative control: the same host, plainly written, is accepted, with blanks around it trimmed.
    expect(parseRegistry(` ${host}\n`).host).toBe(host);
  });

  it('never echoes control characters into its messages', () => {
    expect(() => parseRegistry('evil\u001b]0;pwned\u0007.example.com')).toThrow(/evil\\u001b\]0;pwned\\u0007\.example\.com/);
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
