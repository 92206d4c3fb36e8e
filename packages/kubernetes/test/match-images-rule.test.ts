// The kubelet's glob rule on its own, without the sample configuration: match-images.test.ts reads the sample
// from packages/kubernetes/examples/ at load, which the mutation sandbox does not copy, so its rule cases never
// ran there (every mutant of match-images.ts went uncovered).
import { describe, expect, it } from 'vitest';
import { matchesImage } from '../src/match-images.ts';
import { SAMPLE_CREDENTIAL_PROVIDER_CONFIG } from '../src/sample-config.ts';

it('the sample configuration ships in the package\'s examples/ folder', () => {
  expect(SAMPLE_CREDENTIAL_PROVIDER_CONFIG.protocol).toBe('file:');
  expect(SAMPLE_CREDENTIAL_PROVIDER_CONFIG.pathname).toMatch(/\/packages\/kubernetes\/examples\/credential-provider-config\.yaml$/);
});

describe('matchesImage', () => {
  it.each([
    ['*.dkr.ecr.*.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1', true],
    ['*.dkr.ecr.*.amazonaws.com', 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1', true],
    ['https://*.dkr.ecr.*.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com', true],
    ['*.io', 'k8s.gcr.io', false],
    ['*.*.io', 'k8s.gcr.io', true],
    ['*.*.io', 'gcr.io', false],
    ['*.dkr.ecr.*.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.test/app', false],
    ['*.dkr.ecr.*.amazonaws.com', 'evil.123456789012.dkr.ecr.eu-west-1.amazonaws.com/app', false],
    ['*.dkr.ecr.*.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com:5000/app', false],
    ['*.dkr.ecr.*.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.co', false],
    ['mirror.example.com:5000', 'mirror.example.com:5000/library/nginx', true],
    ['mirror.example.com:5000', 'mirror.example.com:5001/library/nginx', false],
    ['mirror.example.com:5000', 'mirror.example.com/library/nginx', false],
    ['mirror.example.com', 'mirror.example.com:5000/library/nginx', false],
    ['mirror.example.com:x', 'mirror.example.com:x/app', false],
    ['mirror.example.com:', 'mirror.example.com:/app', false],
    ['mirror.example.com:50a0', 'mirror.example.com:50a0/app', false],
    [':5000', ':5000/app', false],
    ['mirror.example.com', ':5000/app', false],
    ['registry.io/team', 'registry.io/team/app:v1', true],
    ['registry.io/team', 'registry.io/other/app:v1', false],
    ['registry.io/team', 'registry.io', false],
    ['registry.io/app', 'registry.io/team/app', false],
    ['registry.io', 'registry.io/team/app', true],
    ['*.io/team', 'registry.io/team/app', true],
    ['*.io/team', 'registry.io/other/app', false],
    ['registry.io/a', 'registry.io/a://b', true],
    ['registry.io/b', 'registry.io/a://b', false],
    ['reg?stry.io', 'registry.io/app', true],
    ['reg?stry.io', 'regstry.io/app', false],
    ['reg?stry.io', 'reg.stry.io/app', false],
    ['*-ecr.io', 'dkr-ecr.io/app', true],
    ['*', 'localhost/app', true],
    ['a.b', 'axb/app', false],
    ['a+b.io', 'a+b.io/app', true],
    ['a+b.io', 'aab.io/app', false],
    ['(a).io', '(a).io/app', true],
    ['$a.io', '$a.io', true],
    ['a|b.io', 'b.io', false],
    ['registry.io', 'REGISTRY.io/app', false],
  ])('%s vs %s: %s', (glob, image, expected) => {
    expect(matchesImage(glob, image)).toBe(expected);
  });
});
