// parseRegistry's reference splitting at its edges: blanks around the input, schemes (only http and https, only at
// the start), user information, a leading slash, a digest with no repository; each refusal says why.
import { describe, expect, it } from 'vitest';
import { RegistryParseError } from './errors.js';
import { parseRegistry, registryHost } from './registry.js';

const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const refusal = (input: string): string => {
  try {
    parseRegistry(input);
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryParseError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${input}`);
};

describe('parseRegistry edges', () => {
  it('trims any run of blanks around the input', () => {
    expect(parseRegistry(` \t\r\n ${HOST}/app:v1 \n\t `)).toMatchObject({ host: HOST, repository: 'app', tag: 'v1' });
  });

  it('accepts http and https only, and only as the scheme at the start', () => {
    expect(parseRegistry(`HTTP://${HOST}`).host).toBe(HOST);
    for (const scheme of ['git+https', 'xhttps', 'httpsx', 'ftp']) {
      expect(refusal(`${scheme}://${HOST}`), scheme).toBe(`ecr-auth: unsupported scheme in "${scheme}://${HOST}"; use a bare host or https://host`);
    }
    // "://" further on is no scheme: here it makes an invalid tag.
    expect(refusal(`${HOST}/ftp://x`)).toBe(`ecr-auth: "//x" in "${HOST}/ftp://x" is not a valid tag`);
  });

  it('refuses user information before the host, saying so', () => {
    expect(refusal(`user@${HOST}`)).toBe(`ecr-auth: "user@${HOST}" has user information before its host; give the registry host alone`);
    expect(refusal(`https://user:pw@${HOST}/app`)).toMatch(/has user information before its host/);
  });

  it('reads a leading slash as an empty host', () => {
    expect(refusal('/team/app')).toMatch(/^ecr-auth: "" is not an ECR registry host/);
  });

  it('takes a digest right after the slash, with no repository', () => {
    expect(parseRegistry(`${HOST}/@${DIGEST}`)).toMatchObject({ host: HOST, repository: undefined, tag: undefined, digest: DIGEST });
    expect(parseRegistry(`${HOST}/team/app:v1@${DIGEST}`)).toMatchObject({ repository: 'team/app', tag: 'v1', digest: DIGEST });
  });

  it('refuses an invalid tag, saying which, and takes a tag right after the slash', () => {
    expect(refusal(`${HOST}/app:-v1`)).toBe(`ecr-auth: "-v1" in "${HOST}/app:-v1" is not a valid tag`);
    expect(refusal(`${HOST}/app:${'x'.repeat(129)}`)).toMatch(/is not a valid tag$/);
    expect(parseRegistry(`${HOST}/app:${'x'.repeat(128)}`).tag).toHaveLength(128);
    expect(parseRegistry(`${HOST}/:v1`)).toMatchObject({ repository: undefined, tag: 'v1' });
  });

  it('names a repository after any trailing slashes are dropped, and takes /v1 and /v2 alone as API paths', () => {
    expect(parseRegistry(`${HOST}/app`).repository).toBe('app');
    expect(parseRegistry(`${HOST}/team/app//`).repository).toBe('team/app');
    expect(parseRegistry(`https://${HOST}/v2/`).repository).toBeUndefined();
    expect(parseRegistry(`${HOST}/v1`).repository).toBeUndefined();
    expect(parseRegistry(`${HOST}/v3`).repository).toBe('v3');
    expect(parseRegistry(`${HOST}/v2:latest`)).toMatchObject({ repository: 'v2', tag: 'latest' });
    expect(parseRegistry(`${HOST}/v2@${DIGEST}`)).toMatchObject({ repository: 'v2', digest: DIGEST });
    expect(parseRegistry(HOST).repository).toBeUndefined();
    expect(parseRegistry(`${HOST}/v10`).repository).toBe('v10');
    expect(parseRegistry(`${HOST}/team/v2`).repository).toBe('team/v2');
  });

  it('says an empty or blank registry is empty, and what it got instead of a string', () => {
    const empty = 'ecr-auth: the registry is empty; pass a host such as 123456789012.dkr.ecr.us-east-1.amazonaws.com';
    expect(refusal('')).toBe(empty);
    expect(refusal(' \t\n ')).toBe(empty);
    expect(refusal(undefined as unknown as string)).toBe(empty);
  });

  it('refuses input over 2048 characters for its length, and judges 2048 on its content', () => {
    const long = (length: number) => `${HOST}/${'a'.repeat(length - HOST.length - 1)}`;
    expect(long(2048)).toHaveLength(2048);
    expect(parseRegistry(long(2048)).host).toBe(HOST);
    expect(refusal(long(2049))).toBe('ecr-auth: the registry reference is 2049 characters long, over the limit of 2048');
    // The error keeps a printable start of the input, not all of it.
    expect(() => parseRegistry(`\u0007${long(2049)}`)).toThrow(expect.objectContaining({ input: `\\u0007${long(2049).slice(0, 63)}…` }));
  });

  it('places ECR Public and its dual-stack twin, with their DNS suffixes', () => {
    expect(parseRegistry('public.ecr.aws/nginx/nginx')).toMatchObject({ host: 'public.ecr.aws', kind: 'public', region: 'us-east-1', dnsSuffix: 'aws', dualStack: false, fips: false, accountId: undefined });
    expect(parseRegistry('ecr-public.aws.com')).toMatchObject({ host: 'ecr-public.aws.com', kind: 'public', dnsSuffix: 'aws.com', dualStack: true });
  });

  it('says a host is not an ECR registry host, and how to name a custom one', () => {
    expect(refusal('docker.io/library/nginx')).toBe(
      'ecr-auth: "docker.io" is not an ECR registry host (expected <account>.dkr.ecr.<region>.amazonaws.com, a FIPS, dual-stack or ' +
        'other-partition form of it, or public.ecr.aws). For a custom name (a proxy, a VPC endpoint alias), pass the region and account ' +
        "explicitly, e.g. getToken({ registry: 'registry.example.com', region: 'us-east-1', accountId: '123456789012' }).",
    );
  });

  it('says which region of an ECR-shaped host is no AWS region', () => {
    expect(refusal('123456789012.dkr.ecr.xx-east-1.amazonaws.com')).toBe(
      'ecr-auth: "xx-east-1" in "123456789012.dkr.ecr.xx-east-1.amazonaws.com" is not an AWS region name. For a custom name (a proxy, a VPC ' +
        "endpoint alias), pass the region and account explicitly, e.g. getToken({ registry: 'registry.example.com', region: 'us-east-1', accountId: '123456789012' }).",
    );
  });
});

describe('repository names and digests', () => {
  it('accept separator runs and multi-character parts in every path segment', () => {
    for (const repository of ['my--app', 'team/my--app', 'team/a.bc', 'team/a_bc', 'team/a__bc', 'a.bc/d-e/f']) {
      expect(parseRegistry(`${HOST}/${repository}:v1`).repository, repository).toBe(repository);
    }
  });

  it('refuse a path that ends in a separator', () => {
    for (const repository of ['team/app-', 'app.', 'team/app_']) {
      expect(refusal(`${HOST}/${repository}`), repository).toBe(`ecr-auth: "${repository}" in "${HOST}/${repository}" is not a valid repository name`);
    }
  });

  it('accept an algorithm with separated parts, and refuse anything before or after the digest', () => {
    const hex = 'b'.repeat(64);
    expect(parseRegistry(`${HOST}/app@x.sha256:${hex}`).digest).toBe(`x.sha256:${hex}`);
    expect(parseRegistry(`${HOST}/app@sha256+ab:${hex}`).digest).toBe(`sha256+ab:${hex}`);
    for (const digest of [`!sha256:${hex}`, `sha256:${hex}!`]) {
      expect(refusal(`${HOST}/app@${digest}`), digest).toBe(`ecr-auth: "${digest}" in "${HOST}/app@${digest}" is not a valid digest (expected sha256:<hex>)`);
    }
  });
});

describe('the partitions’ region names', () => {
  it('accept two-digit region numbers, and nothing before or after a region name', () => {
    for (const [region, suffix] of [['ap-southeast-10', 'amazonaws.com'], ['us-gov-west-10', 'amazonaws.com'], ['cn-north-10', 'amazonaws.com.cn'], ['us-iso-east-10', 'c2s.ic.gov'], ['us-isob-east-10', 'sc2s.sgov.gov'], ['eu-isoe-west-10', 'cloud.adc-e.uk'], ['us-isof-south-10', 'csp.hci.ic.gov'], ['eusc-de-east-10', 'amazonaws.eu']]) {
      expect(parseRegistry(`123456789012.dkr.ecr.${region}.${suffix}`).region, region).toBe(region);
      for (const bad of [`x${region}`, `${region}x`]) {
        expect(() => parseRegistry(`123456789012.dkr.ecr.${bad}.${suffix}`), bad).toThrow(/is not an AWS region name/);
      }
    }
  });
});

describe('registryHost (custom names)', () => {
  const hostRefusal = (input: string): string => {
    try {
      registryHost(input);
    } catch (error) {
      expect(error).toBeInstanceOf(RegistryParseError);
      return (error as Error).message;
    }
    throw new Error(`accepted ${input}`);
  };

  it('returns the host, lower-cased, with its port', () => {
    expect(registryHost('https://ECR-Proxy.example.com:8443/team/app:v1')).toBe('ecr-proxy.example.com:8443');
    expect(registryHost('a')).toBe('a');
    expect(registryHost('mirror.example.com:1')).toBe('mirror.example.com:1');
  });

  it('refuses empty input and host names that start or end wrong or carry a long port', () => {
    expect(hostRefusal('')).toBe('ecr-auth: the registry is empty');
    expect(hostRefusal('  ')).toBe('ecr-auth: the registry is empty');
    expect(hostRefusal(undefined as unknown as string)).toBe('ecr-auth: the registry is empty');
    for (const host of ['_x.example.com', '-x.example.com', 'x.example.com-', 'x.example.com_', 'x.example.com:123456', 'x.example.com:']) {
      expect(hostRefusal(host), host).toBe(`ecr-auth: "${host}" is not a valid host name`);
    }
  });
});
