// The registry rule in-process (mutation testing found it reached only through the built executables): which
// names are ECR hosts, which custom names the configuration file maps, and what the refusal says.
import { RegistryParseError } from 'ecr-auth';
import { describe, expect, it } from 'vitest';
import type { CliConfig } from '../src/config-file.ts';
import { placeRegistry, TargetError } from '../src/registry-rule.ts';

const ECR_HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const HOW_TO_MAP = (host: string) =>
  `for a custom name (a proxy, a mirror), map it in the configuration file: {"registries": {"${host}": {"region": "us-east-1", "accountId": "123456789012"}}}`;

function refusal(input: string, config: CliConfig = {}): TargetError {
  try {
    placeRegistry(input, config);
  } catch (error) {
    return error as TargetError;
  }
  throw new Error(`${input} was placed`);
}

describe('placeRegistry: ECR hosts', () => {
  it('places an ECR host exactly as parseRegistry reads it, not custom, with the settings of its entry', () => {
    const config: CliConfig = { profile: 'top', registries: { [ECR_HOST]: { roleArn: 'arn:aws:iam::123456789012:role/pull' } } };
    expect(placeRegistry(`https://${ECR_HOST}:443/v2/`, config)).toEqual({
      host: ECR_HOST,
      kind: 'private',
      region: 'eu-west-1',
      accountId: '123456789012',
      custom: false,
      fips: false,
      dualStack: false,
      settings: { profile: 'top', roleArn: 'arn:aws:iam::123456789012:role/pull' },
    });
    expect(placeRegistry('123456789012.dkr.ecr-fips.us-east-1.amazonaws.com', {})).toMatchObject({ custom: false, fips: true, dualStack: false, region: 'us-east-1' });
    expect(placeRegistry('public.ecr.aws', {})).toMatchObject({ custom: false, kind: 'public', region: 'us-east-1', accountId: undefined });
  });

  it('passes on an error that is not a parse error (a configuration that throws), never reads it as an unmapped name', () => {
    const boom = new Error('configuration getter failed');
    let thrown = false;
    // Throws on the first read only: swallowing it would let the second lookup succeed.
    const config = {
      get registries() {
        if (!thrown) {
          thrown = true;
          throw boom;
        }
        return { [ECR_HOST]: { region: 'eu-west-1' } };
      },
    } as CliConfig;
    expect(() => placeRegistry(ECR_HOST, config)).toThrow(boom);
  });
});

describe('placeRegistry: custom names only as mapped', () => {
  it('an exact entry maps its host even without a region (its region is then unknown)', () => {
    expect(placeRegistry('registry.example.com', { region: 'us-west-2', registries: { 'registry.example.com': { profile: 'p' } } })).toEqual({
      host: 'registry.example.com',
      kind: 'private',
      region: 'us-west-2',
      accountId: undefined,
      custom: true,
      settings: { region: 'us-west-2', profile: 'p' },
    });
    expect(placeRegistry('https://registry.example.com:5000/v2/', { registries: { 'registry.example.com:5000': { accountId: '123456789012' } } })).toEqual({
      host: 'registry.example.com:5000',
      kind: 'private',
      region: undefined,
      accountId: '123456789012',
      custom: true,
      settings: { accountId: '123456789012' },
    });
  });

  it('a *.suffix entry maps a host only when it names a region or public itself', () => {
    expect(placeRegistry('mirror.example.com', { registries: { '*.example.com': { region: 'eu-central-1' } } })).toEqual({
      host: 'mirror.example.com',
      kind: 'private',
      region: 'eu-central-1',
      accountId: undefined,
      custom: true,
      settings: { region: 'eu-central-1' },
    });
    // public: false is still the entry's own word.
    expect(placeRegistry('mirror.example.com', { region: 'eu-west-1', registries: { '*.example.com': { public: false } } })).toMatchObject({ custom: true, kind: 'private', region: 'eu-west-1' });
    // Negative controls: a wildcard with neither, and top-level settings alone, map nothing.
    expect(refusal('mirror.example.com', { registries: { '*.example.com': { profile: 'p' } } })).toBeInstanceOf(TargetError);
    expect(refusal('mirror.example.com', { region: 'eu-west-1', public: true })).toBeInstanceOf(TargetError);
    expect(refusal('mirror.example.com', { registries: { 'other.example.com': { region: 'eu-west-1' } } })).toBeInstanceOf(TargetError);
  });

  it('a public custom name takes its tokens from us-east-1, whatever region it names', () => {
    expect(placeRegistry('mirror.example.com', { registries: { '*.example.com': { public: true, region: 'eu-west-1' } } })).toEqual({
      host: 'mirror.example.com',
      kind: 'public',
      region: 'us-east-1',
      accountId: undefined,
      custom: true,
      settings: { public: true, region: 'eu-west-1' },
    });
  });
});

describe('placeRegistry: the refusal', () => {
  // The library's sentence loses its full stop with its advice: one sentence, then how to map a custom name.
  it('names what is wrong without the library\'s advice, then how to map a custom name', () => {
    const error = refusal('registry.example.com');
    expect(error).toBeInstanceOf(TargetError);
    expect(error.name).toBe('TargetError');
    expect(error.code).toBe('ECR_AUTH_INVALID_REGISTRY');
    expect(error.message).toBe(
      'ecr-auth: "registry.example.com" is not an ECR registry host (expected <account>.dkr.ecr.<region>.amazonaws.com, a FIPS, dual-stack or other-partition form of it, or public.ecr.aws); ' +
        HOW_TO_MAP('registry.example.com'),
    );
    const region = refusal('123456789012.dkr.ecr.moon-base-1.amazonaws.com');
    expect(region.message).toBe(`ecr-auth: "moon-base-1" in "123456789012.dkr.ecr.moon-base-1.amazonaws.com" is not an AWS region name; ${HOW_TO_MAP('123456789012.dkr.ecr.moon-base-1.amazonaws.com')}`);
    // A message without the library's advice is kept whole.
    const partition = refusal('123456789012.dkr.ecr.cn-north-1.amazonaws.com');
    expect(partition.message).toBe(
      `ecr-auth: region "cn-north-1" does not belong to the partition of "amazonaws.com" in "123456789012.dkr.ecr.cn-north-1.amazonaws.com"; ${HOW_TO_MAP('123456789012.dkr.ecr.cn-north-1.amazonaws.com')}`,
    );
  });

  it('a malformed name is ecr-auth\'s parse error', () => {
    expect(refusal('https://user@registry.example.com')).toBeInstanceOf(RegistryParseError);
  });

  it('TargetError adds the ecr-auth: prefix once', () => {
    expect(new TargetError('x is wrong').message).toBe('ecr-auth: x is wrong');
    expect(new TargetError('ecr-auth: x is wrong').message).toBe('ecr-auth: x is wrong');
    expect(new TargetError('x is wrong, ecr-auth:').message).toBe('ecr-auth: x is wrong, ecr-auth:');
  });
});
