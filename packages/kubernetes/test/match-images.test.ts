// The sample CredentialProviderConfig's matchImages, by the kubelet's glob rule: they cover every host the
// provider serves, in every partition, and no lookalike (the peers' own tables included).
import { readFileSync } from 'node:fs';
import { isEcrRegistry, parseRegistry, registryHost } from 'ecr-auth';
import { describe, expect, it } from 'vitest';
import { PEER_REGISTRY_CASES } from '../../ecr-auth/test/fixtures/peer-registry-cases.ts';
import { matchesImage, SAMPLE_CREDENTIAL_PROVIDER_CONFIG } from '../src/index.ts';

/** The sample, read where the package's export says it is. */
const SAMPLE = readFileSync(SAMPLE_CREDENTIAL_PROVIDER_CONFIG, 'utf8');

/** The matchImages list of the sample (a plain YAML list of quoted strings). */
const GLOBS = (() => {
  const block = /matchImages:\n((?:\s+(?:#.*|- ".*")\n)+)/.exec(SAMPLE)?.[1] ?? '';
  return [...block.matchAll(/- "([^"]+)"/g)].map((m) => m[1] as string);
})();

const matched = (image: string) => GLOBS.some((glob) => matchesImage(glob, image));

/** Regions of every partition (a few per partition). */
const REGIONS = [
  'us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1', 'me-central-1', 'il-central-1', 'mx-central-1',
  'us-gov-west-1', 'us-gov-east-1', 'cn-north-1', 'cn-northwest-1', 'eusc-de-east-1',
  'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1',
];
const SUFFIXES = ['amazonaws.com', 'amazonaws.com.cn', 'amazonaws.eu', 'c2s.ic.gov', 'sc2s.sgov.gov', 'cloud.adc-e.uk', 'csp.hci.ic.gov', 'on.aws', 'on.amazonwebservices.com.cn'];

/** Every (form, region, suffix) combination; the parser decides which are registries. */
function candidateHosts(): string[] {
  const hosts: string[] = [];
  for (const region of REGIONS) {
    for (const suffix of SUFFIXES) {
      for (const form of ['dkr.ecr', 'dkr.ecr-fips', 'dkr-ecr', 'dkr-ecr-fips']) hosts.push(`123456789012.${form}.${region}.${suffix}`);
    }
  }
  return hosts;
}

describe('the kubelet glob rule', () => {
  it.each([
    ['*.dkr.ecr.*.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1', true],
    ['*.dkr.ecr.*.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com', true],
    ['*.io', 'k8s.gcr.io', false],
    ['*.*.io', 'k8s.gcr.io', true],
    ['*.dkr.ecr.*.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.test/app', false],
    ['*.dkr.ecr.*.amazonaws.com', 'evil.123456789012.dkr.ecr.eu-west-1.amazonaws.com/app', false],
    ['*.dkr.ecr.*.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com:5000/app', false],
    ['mirror.example.com:5000', 'mirror.example.com:5000/library/nginx', true],
    ['mirror.example.com:5000', 'mirror.example.com/library/nginx', false],
    ['mirror.example.com', 'mirror.example.com:5000/library/nginx', false],
    ['registry.io/team', 'registry.io/team/app:v1', true],
    ['registry.io/team', 'registry.io/other/app:v1', false],
    ['reg?stry.io', 'registry.io/app', true],
    ['*-ecr.io', 'dkr-ecr.io/app', true],
  ])('%s vs %s: %s', (glob, image, expected) => {
    expect(matchesImage(glob, image)).toBe(expected);
  });
});

describe('the sample CredentialProviderConfig', () => {
  it('is a kubelet.config.k8s.io/v1 CredentialProviderConfig naming the executable', () => {
    expect(SAMPLE).toMatch(/^apiVersion: kubelet\.config\.k8s\.io\/v1$/m);
    expect(SAMPLE).toMatch(/^kind: CredentialProviderConfig$/m);
    expect(SAMPLE).toMatch(/^ {2}- name: ecr-auth-credential-provider$/m);
    expect(SAMPLE).toMatch(/^ {4}apiVersion: credentialprovider\.kubelet\.k8s\.io\/v1$/m);
    expect(GLOBS.length).toBeGreaterThanOrEqual(20);
  });

  it('every host the parser accepts, in every partition and form, matches a glob; every glob serves some of them', () => {
    const accepted = candidateHosts().filter((host) => isEcrRegistry(host));
    // Each partition's DNS suffix, FIPS and dual-stack forms among them.
    expect(new Set(accepted.map((host) => parseRegistry(host).dnsSuffix))).toEqual(new Set(SUFFIXES));
    expect(accepted.length).toBeGreaterThan(40);
    const hosts = [...accepted, 'public.ecr.aws', 'ecr-public.aws.com'];
    for (const host of hosts) {
      expect(matched(`${host}/team/app:v1`), host).toBe(true);
      expect(matched(host), host).toBe(true);
    }
    for (const glob of GLOBS) expect(hosts.some((host) => matchesImage(glob, host)), glob).toBe(true);
  });

  it("the peers' accepted registries match a glob", () => {
    const accepted = PEER_REGISTRY_CASES.filter((c) => c.ecr);
    expect(accepted.length).toBeGreaterThan(10);
    for (const c of accepted) {
      const { host } = parseRegistry(c.input);
      expect(matched(`${host}/app`), `${c.input} (${c.source})`).toBe(true);
    }
  });

  it("the peers' refused names: a lookalike matches no glob; what a glob does let through, the provider refuses", () => {
    let noGlob = 0;
    for (const c of PEER_REGISTRY_CASES.filter((x) => !x.ecr)) {
      let host: string;
      try {
        host = registryHost(c.input);
      } catch {
        noGlob += 1;
        continue;
      }
      const suffixed = SUFFIXES.some((suffix) => host.endsWith(`.${suffix}`)) || host === 'public.ecr.aws' || host === 'ecr-public.aws.com';
      if (!suffixed) {
        // A lookalike (an ECR host inside another domain, another TLD, another label count): the kubelet does
        // not even run the provider for it.
        expect(matched(`${host}/app`), `${c.input} (${c.source})`).toBe(false);
        noGlob += 1;
      } else {
        // An ECR-shaped name the parser refuses (a made-up region, a wrong partition, a short account): the
        // provider exits 1 for it (provider.test.ts); the glob alone cannot tell regions apart.
        expect(isEcrRegistry(c.input), c.input).toBe(false);
      }
    }
    expect(noGlob).toBeGreaterThan(20);
  });

  it('our own lookalikes match no glob', () => {
    for (const image of [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.test/app',
      'evil.test/123456789012.dkr.ecr.us-east-1.amazonaws.com/app',
      '123456789012.dkr.ecr.us-east-1.amazonaws.co/app',
      'x.123456789012.dkr.ecr.us-east-1.amazonaws.com/app',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com:5000/app',
      'public.ecr.aws.evil.test/app',
      'public.ecr.aws:8443/app',
      'ecr.aws/app',
      '123456789012.dkr-ecr.us-east-1.on.aws.evil.test/app',
    ]) {
      expect(matched(image), image).toBe(false);
    }
  });
});
