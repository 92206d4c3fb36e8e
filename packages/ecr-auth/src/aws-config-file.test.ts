// readProfileSetting reads one setting (ca_bundle) of the profile in use from the shared config file, as the AWS
// CLI does: which file, which profile, which section names count, and what is a comment.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readProfileSetting } from './aws-config-file.js';

const dir = mkdtempSync(join(tmpdir(), 'ecr-auth-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
/** A config file with these lines; returns the environment that points at it. */
function config(...lines: string[]): NodeJS.ProcessEnv {
  const file = join(dir, `config-${files++}`);
  writeFileSync(file, lines.join('\n'));
  return { AWS_CONFIG_FILE: file };
}
const read = (env: NodeJS.ProcessEnv, profile?: string) => readProfileSetting('ca_bundle', profile, env);

describe('readProfileSetting', () => {
  it('reads the default profile from [default] or [profile default]', async () => {
    expect(await read(config('[default]', 'ca_bundle = /d.pem'))).toEqual({ value: '/d.pem', profile: 'default' });
    expect(await read(config('[profile default]', 'ca_bundle = /pd.pem'))).toEqual({ value: '/pd.pem', profile: 'default' });
    // Another profile's section is not the default's.
    expect(await read(config('[profile ci]', 'ca_bundle = /ci.pem'))).toBeUndefined();
  });

  it('reads a named profile from [profile NAME] only: the argument first, then AWS_PROFILE', async () => {
    const env = config('[default]', 'ca_bundle = /d.pem', '[ci]', 'ca_bundle = /bare.pem', '[profile ci]', 'ca_bundle = /ci.pem', '[profile ops]', 'ca_bundle = /ops.pem');
    expect(await read(env, 'ci')).toEqual({ value: '/ci.pem', profile: 'ci' });
    expect(await read({ ...env, AWS_PROFILE: 'ops' })).toEqual({ value: '/ops.pem', profile: 'ops' });
    expect(await read({ ...env, AWS_PROFILE: 'ops' }, 'ci')).toEqual({ value: '/ci.pem', profile: 'ci' });
    expect(await read({ ...env, AWS_PROFILE: '' }, '')).toEqual({ value: '/d.pem', profile: 'default' });
    // [default] is the default profile's only: a named profile without the setting has none.
    expect(await read(config('[default]', 'ca_bundle = /d.pem', '[profile ci]', 'region = us-east-1'), 'ci')).toBeUndefined();
  });

  it('accepts blanks inside the brackets and between the words of a section name', async () => {
    expect(await read(config('[  profile    ci  ]', 'ca_bundle = /ci.pem'), 'ci')).toEqual({ value: '/ci.pem', profile: 'ci' });
    expect(await read(config('[profile\tci]', 'ca_bundle = /tab.pem'), 'ci')).toEqual({ value: '/tab.pem', profile: 'ci' });
  });

  it('counts a line as a section only when the brackets are the whole line', async () => {
    expect(await read(config('[profile ci]', 'note = [default]', 'ca_bundle = /ci.pem'), 'ci')).toEqual({ value: '/ci.pem', profile: 'ci' });
    expect(await read(config('[profile ci]', '[default]x = 1', 'ca_bundle = /ci.pem'), 'ci')).toEqual({ value: '/ci.pem', profile: 'ci' });
  });

  it('ignores settings before the first section, and indented (nested) lines', async () => {
    expect(await read(config('ca_bundle = /top.pem', '[default]', 'region = us-east-1'))).toBeUndefined();
    expect(await read(config('[default]', 's3 =', '  ca_bundle = /nested.pem'))).toBeUndefined();
    expect(await read(config('[default]', 's3 =', '  ca_bundle = /nested.pem', 'ca_bundle = /d.pem'))).toEqual({ value: '/d.pem', profile: 'default' });
  });

  it('strips comments at the start of a line or after a blank, not inside a value', async () => {
    expect(await read(config('[default]', 'ca_bundle = /a.pem # the corporate CA'))).toEqual({ value: '/a.pem', profile: 'default' });
    expect(await read(config('[default]', 'ca_bundle = /a.pem ; x'))).toEqual({ value: '/a.pem', profile: 'default' });
    expect(await read(config('[default]', 'ca_bundle = /a#b;c.pem'))).toEqual({ value: '/a#b;c.pem', profile: 'default' });
    expect(await read(config('[default]', '# ca_bundle = /commented.pem', '; ca_bundle = /also.pem'))).toBeUndefined();
    expect(await read(config('[profile ci] # the CI profile', 'ca_bundle = /ci.pem'), 'ci')).toEqual({ value: '/ci.pem', profile: 'ci' });
  });

  it('matches the key exactly, with or without blanks around "=", and skips an empty value', async () => {
    expect(await read(config('[default]', 'ca_bundle_old = /old.pem', 'ca_bundle=/d.pem'))).toEqual({ value: '/d.pem', profile: 'default' });
    expect(await read(config('[default]', 'ca_bundle =', 'ca_bundle   =   /later.pem'))).toEqual({ value: '/later.pem', profile: 'default' });
    expect(await read(config('[default]', 'my_ca_bundle = /x.pem'))).toBeUndefined();
    // A line that starts with "=" has no key at all.
    expect(await read(config('[default]', '=ca_bundle = /odd.pem'))).toBeUndefined();
  });

  it('reads CRLF files', async () => {
    expect(await read(config('[default]\r', 'ca_bundle = /crlf.pem\r'))).toEqual({ value: '/crlf.pem', profile: 'default' });
  });

  it('finds the file at AWS_CONFIG_FILE, else at $HOME/.aws/config; a missing file is no setting', async () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.aws'), { recursive: true });
    writeFileSync(join(home, '.aws', 'config'), '[default]\nca_bundle = /home.pem\n');
    expect(await read({ HOME: home })).toEqual({ value: '/home.pem', profile: 'default' });
    expect(await read({ HOME: home, AWS_CONFIG_FILE: '' })).toEqual({ value: '/home.pem', profile: 'default' });
    expect(await read({ HOME: home, ...config('[default]', 'ca_bundle = /env.pem') })).toEqual({ value: '/env.pem', profile: 'default' });
    expect(await read({ HOME: home, AWS_CONFIG_FILE: join(dir, 'missing') })).toBeUndefined();
  });
});
