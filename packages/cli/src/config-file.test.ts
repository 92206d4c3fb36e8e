import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig, settingsFor } from './config-file.js';
import { resolveTarget, scopeOf } from './token-source.js';
import { PEER_ACCOUNT_CASES } from '../../ecr-auth/test/fixtures/peer-registry-cases.ts';

const ROLE = 'arn:aws:iam::123456789012:role/ecr-pull';

describe('configuration file', () => {
  it('accepts defaults and per-registry entries, exact and *.suffix', () => {
    const config = parseConfig({
      profile: 'ci',
      registries: {
        'Registry.Example.com:5000': { region: 'eu-west-1', accountId: '123456789012' },
        '*.dkr.ecr.us-east-1.amazonaws.com': { roleArn: ROLE, roleSessionName: 'pull', externalId: 'x' },
        '*.ecr.us-east-1.amazonaws.com': { profile: 'broad' },
        'mirror.example.com': { public: true },
      },
    });
    expect(settingsFor(config, 'registry.example.com:5000')).toMatchObject({ settings: { profile: 'ci', region: 'eu-west-1', accountId: '123456789012' }, matched: true, pattern: 'registry.example.com:5000' });
    // The longest wildcard wins.
    expect(settingsFor(config, '123456789012.dkr.ecr.us-east-1.amazonaws.com').settings).toEqual({ profile: 'ci', roleArn: ROLE, roleSessionName: 'pull', externalId: 'x' });
    expect(settingsFor(config, 'other.example.com')).toMatchObject({ settings: { profile: 'ci' }, matched: false, entry: undefined });
    expect(settingsFor(config, undefined)).toMatchObject({ settings: { profile: 'ci' }, matched: false, entry: undefined });
  });

  it('refuses unknown keys, wrong types, bad regions, accounts and role ARNs, naming the place', () => {
    const bad: [unknown, RegExp][] = [
      [[], /must be a JSON object/],
      [{ regoin: 'us-east-1' }, /unknown key "regoin"/],
      [{ region: 'Frankfurt' }, /not an AWS region/],
      [{ registries: { 'a.example': { accountId: '12' } } }, /registries\["a.example"\]\.accountId must be 12 digits/],
      [{ registries: { 'a.example': { roleArn: 'role/x' } } }, /not an IAM role ARN/],
      [{ registries: { 'a.example': { public: 'yes' } } }, /public must be true or false/],
      [{ registries: { 'a b': {} } }, /not a host name/],
      [{ registries: { 'a.example': { registries: {} } } }, /unknown key "registries"/],
      [{ endpoint: 'ftp://x' }, /endpoint must be an http\(s\) URL/],
    ];
    for (const [value, message] of bad) expect(() => parseConfig(value), JSON.stringify(value)).toThrow(message);
    expect(() => parseConfig({ region: 'x' })).toThrow(ConfigError);
  });

  it('a missing file is an empty configuration; invalid JSON is an error naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ecr-auth-config-'));
    try {
      expect(loadConfig(join(dir, 'missing.json'))).toEqual({});
      await writeFile(join(dir, 'config.json'), '{ nope');
      expect(() => loadConfig(join(dir, 'config.json'))).toThrow(/config\.json is not valid JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('resolveTarget: registry → where its token comes from', () => {
  const config = parseConfig({
    registries: {
      '127.0.0.1:5000': { region: 'us-east-1', accountId: '123456789012' },
      'pull.example.com': { region: 'eu-west-1', roleArn: ROLE, profile: 'base' },
      'public-mirror.example.com': { public: true },
    },
  });

  it('ECR hosts place themselves; a config entry adds profile/role; flags win over the file', () => {
    const plain = resolveTarget('https://123456789012.dkr.ecr.eu-central-1.amazonaws.com/team/app:v1', config, {}, {});
    expect(plain).toMatchObject({ host: '123456789012.dkr.ecr.eu-central-1.amazonaws.com', kind: 'private', region: 'eu-central-1', custom: false });
    const mapped = resolveTarget('pull.example.com', config, {}, {});
    expect(mapped).toMatchObject({ host: 'pull.example.com', region: 'eu-west-1', custom: true, settings: { roleArn: ROLE, profile: 'base' } });
    expect(resolveTarget('pull.example.com', config, { profile: 'other' }, {}).settings.profile).toBe('other');
    expect(resolveTarget('public-mirror.example.com', config, {}, {})).toMatchObject({ kind: 'public', region: 'us-east-1' });
    expect(resolveTarget(undefined, config, { public: true }, {})).toMatchObject({ host: 'public.ecr.aws', kind: 'public' });
  });

  it('the caller\'s own registry: region from the flag, AWS_REGION or the profile in AWS_CONFIG_FILE', async () => {
    expect(resolveTarget(undefined, config, { region: 'ap-south-1' }, {}).region).toBe('ap-south-1');
    expect(resolveTarget(undefined, config, {}, { AWS_REGION: 'sa-east-1' }).region).toBe('sa-east-1');
    const dir = await mkdtemp(join(tmpdir(), 'ecr-auth-awscfg-'));
    try {
      await writeFile(join(dir, 'config'), '[default]\nregion = us-west-2\n[profile dev]\n# comment\nregion=eu-north-1\n');
      expect(resolveTarget(undefined, config, {}, { AWS_CONFIG_FILE: join(dir, 'config') }).region).toBe('us-west-2');
      expect(resolveTarget(undefined, config, { profile: 'dev' }, { AWS_CONFIG_FILE: join(dir, 'config') }).region).toBe('eu-north-1');
      expect(resolveTarget(undefined, config, {}, { AWS_CONFIG_FILE: join(dir, 'config'), AWS_PROFILE: 'dev' }).region).toBe('eu-north-1');
      expect(resolveTarget(undefined, config, {}, { AWS_CONFIG_FILE: join(dir, 'none') }).region).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('unmapped custom names and region mismatches are errors with the fix in the message', () => {
    expect(() => resolveTarget('registry.example.com', config, {}, {})).toThrow(/map it in the configuration file/);
    expect(() => resolveTarget('123456789012.dkr.ecr.eu-central-1.amazonaws.com', config, { region: 'us-east-1' }, {})).toThrow(/does not match/);
    expect(() => resolveTarget('', config, {}, {})).toThrow(/empty/);
  });

  it('account ids (amazon-ecr-login\'s registries form) name the account\'s registry in the region in force, for every partition', () => {
    const cases: [string, string][] = [
      ['us-east-1', '210987654321.dkr.ecr.us-east-1.amazonaws.com'],
      ['cn-north-1', '210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn'],
      ['us-gov-west-1', '210987654321.dkr.ecr.us-gov-west-1.amazonaws.com'],
      ['us-iso-east-1', '210987654321.dkr.ecr.us-iso-east-1.c2s.ic.gov'],
      ['us-isob-east-1', '210987654321.dkr.ecr.us-isob-east-1.sc2s.sgov.gov'],
      ['eu-isoe-west-1', '210987654321.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk'],
      ['us-isof-south-1', '210987654321.dkr.ecr.us-isof-south-1.csp.hci.ic.gov'],
      ['eusc-de-east-1', '210987654321.dkr.ecr.eusc-de-east-1.amazonaws.eu'],
    ];
    for (const [region, host] of cases) {
      expect(resolveTarget('210987654321', config, { region }, {})).toMatchObject({ host, region, accountId: '210987654321', custom: false });
    }
    expect(resolveTarget('210987654321', config, {}, { AWS_REGION: 'eu-west-1' }).host).toBe('210987654321.dkr.ecr.eu-west-1.amazonaws.com');
    expect(resolveTarget('210987654321', parseConfig({ region: 'ap-south-1' }), {}, {}).host).toBe('210987654321.dkr.ecr.ap-south-1.amazonaws.com');
    // No region anywhere: a usage error. Negative control: 11 or 13 digits are not account ids.
    expect(() => resolveTarget('210987654321', config, {}, { AWS_CONFIG_FILE: '/nonexistent' })).toThrow(expect.objectContaining({ code: 'ECR_AUTH_USAGE' }));
    expect(() => resolveTarget('21098765432', config, { region: 'us-east-1' }, {})).toThrow(/not an ECR registry host/);
    expect(() => resolveTarget('2109876543210', config, { region: 'us-east-1' }, {})).toThrow(/not an ECR registry host/);
  });

  it('amazon-ecr-login\'s registries cases (its mocks\' placeholder regions replaced by real ones of each partition)', () => {
    for (const row of PEER_ACCOUNT_CASES.filter((r) => r.accounts.length > 0)) {
      for (const [region, suffix] of [['eu-west-1', 'amazonaws.com'], ['cn-northwest-1', 'amazonaws.com.cn'], ['us-gov-east-1', 'amazonaws.com']] as const) {
        const hosts = row.accounts.map((account) => resolveTarget(account, config, { region }, {}).host);
        const expected = row.hosts.map((host) => host.replace(`.${row.region}.amazonaws.com`, `.${region}.${suffix}`));
        expect(hosts, row.source).toEqual(expected);
      }
    }
  });

  it('custom hosts come from the configuration file only: never from --region, top-level defaults or a wildcard without a region', () => {
    const withDefaults = parseConfig({ region: 'us-east-1', registries: { '*.example.com': { profile: 'ci' }, '*.mirror.test': { region: 'eu-west-1' } } });
    expect(() => resolveTarget('evil.example.net', config, { region: 'us-east-1' }, {})).toThrow(/map it in the configuration file/);
    expect(() => resolveTarget('pull.example.com', withDefaults, {}, {})).toThrow(/map it in the configuration file/);
    expect(() => resolveTarget('123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.test', withDefaults, {}, {})).toThrow(/not an ECR registry host/);
    // Positive controls: a wildcard that names its region, and an exact entry inheriting the top-level region.
    expect(resolveTarget('a.mirror.test', withDefaults, {}, {})).toMatchObject({ host: 'a.mirror.test', region: 'eu-west-1', custom: true });
    expect(resolveTarget('exact.example.org', parseConfig({ region: 'us-east-1', registries: { 'exact.example.org': {} } }), {}, {})).toMatchObject({ custom: true, region: 'us-east-1' });
    // An ECR host keeps its own region and gets the wildcard's profile.
    expect(resolveTarget('123456789012.dkr.ecr.eu-west-1.amazonaws.com', parseConfig({ registries: { '*.amazonaws.com': { profile: 'p' } } }), {}, {})).toMatchObject({ region: 'eu-west-1', custom: false, settings: { profile: 'p' } });
  });

  it('the cache scope follows profile and role, not the registry host', () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' };
    const a = scopeOf(resolveTarget('123456789012.dkr.ecr.eu-west-1.amazonaws.com', config, {}, env), env);
    const b = scopeOf(resolveTarget('999999999999.dkr.ecr.eu-west-1.amazonaws.com', config, {}, env), env);
    const role = scopeOf(resolveTarget('pull.example.com', config, {}, env), env);
    expect(a).toEqual(b);
    expect(role).toMatchObject({ region: 'eu-west-1', identity: 'profile:base', roleArn: ROLE });
    expect(role).not.toEqual(a);
  });
});
