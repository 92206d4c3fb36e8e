// What we hand to the programs we run: containersToolLogin's arguments, runToolLogin's argument list, a failing
// credential-helper erase, and the environment with every secret taken out. Fake commands record what they got.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthFileAccessError, AuthFileNotRegularError, CredentialHelperError, childEnvironment, containersToolLogin, eraseFromCredentialHelper, readAuthFile, resolveWriteTarget, storeInCredentialHelper } from '@ecr-auth/auth-file';
import { registerSecrets } from '../../../test-support/leaks.js';
import { testToken } from '../../../test-support/real-tools/fixtures.js';
import { readRegularFile } from '../src/read-auth-file.js';
import { fakeCommand } from './fake-commands.js';

const PASSWORD = 'child-commands-password-7hq2';
registerSecrets(() => [PASSWORD]);
const token = testToken(PASSWORD, '127.0.0.1:5000');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecr-auth-child-commands-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const argsOf = (command: string): string[] => readFileSync(`${command}.args`, 'utf8').trim().split('\n');

describe('containersToolLogin', () => {
  it('passes --authfile and --tls-verify=false when asked, then the extra arguments, the password on stdin only', async () => {
    const podman = await fakeCommand(dir, 'podman');
    const result = await containersToolLogin('podman', token, { command: podman, authFile: '/run/a.json', tlsVerify: false, extraArgs: ['--log-level=debug'] });
    const expected = ['login', '--username', 'AWS', '--password-stdin', '--authfile', '/run/a.json', '--tls-verify=false', '--log-level=debug', '127.0.0.1:5000'];
    expect(argsOf(podman)).toEqual(expected);
    expect(result).toEqual({ command: podman, args: expected, registry: '127.0.0.1:5000', expiresAt: token.expiresAt });
    expect(readFileSync(`${podman}.stdin`, 'utf8')).toBe(PASSWORD);
  });

  it('control: without them, none of those arguments', async () => {
    const buildah = await fakeCommand(dir, 'buildah');
    await containersToolLogin('buildah', token, { command: buildah, tlsVerify: true });
    expect(argsOf(buildah)).toEqual(['login', '--username', 'AWS', '--password-stdin', '127.0.0.1:5000']);
  });
});

describe('eraseFromCredentialHelper', () => {
  it('a helper that fails is a CredentialHelperError with its output, and no secret', async () => {
    const helper = await fakeCommand(dir, 'docker-credential-probe', { exitCode: 3, output: 'no such entry', toStderr: true });
    const error = await eraseFromCredentialHelper('probe', '127.0.0.1:5000', { command: helper }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialHelperError);
    expect(error).toMatchObject({ exitCode: 3 });
    expect((error as Error).message).toBe('ecr-auth: docker-credential-probe erase exited with 3: no such entry');
    expect(readFileSync(`${helper}.stdin`, 'utf8')).toBe('127.0.0.1:5000');
    // Control: one that succeeds.
    const ok = await fakeCommand(dir, 'docker-credential-ok');
    await expect(eraseFromCredentialHelper('ok', '127.0.0.1:5000', { command: ok })).resolves.toBeUndefined();
  });
});

describe('storeInCredentialHelper', () => {
  it('a helper that fails is a CredentialHelperError with its output, redacted', async () => {
    const helper = await fakeCommand(dir, 'docker-credential-probe', { exitCode: 2, output: 'refused', toStderr: true, echoStdin: true });
    const error = await storeInCredentialHelper('probe', token, { command: helper }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialHelperError);
    expect((error as Error).message).toBe('ecr-auth: docker-credential-probe store exited with 2: refused{"ServerURL":"127.0.0.1:5000","Username":"AWS","Secret":"[redacted]"}');
  });
});

describe('childEnvironment', () => {
  it('drops every AWS credential and every name that says it holds a secret, keeps the rest', () => {
    const env = {
      PATH: '/usr/bin',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      aws_session_token: 'x',
      AWS_SECURITY_TOKEN: 'x',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'x',
      PASSWORD: 'x',
      TOKEN: 'x',
      DB_PASSWORD: 'x',
      BEARER_TOKEN_X: 'x',
      AWS_BEARER_TOKEN_BEDROCK: 'x',
      PASSWORD_STORE_DIR: '/p',
      TOKENIZER: 'y',
      AWS_REGION: 'eu-west-1',
      UNSET: undefined,
    };
    expect(Object.keys(childEnvironment(env))).toEqual(['PATH', 'PASSWORD_STORE_DIR', 'TOKENIZER', 'AWS_REGION']);
  });
});

describe('reading a file that is not plainly there', () => {
  it('a path under a regular file is an access error, when resolving and when reading; a missing file is none', async () => {
    writeFileSync(join(dir, 'file'), '');
    const under = join(dir, 'file', 'auth.json');
    await expect(resolveWriteTarget(under)).rejects.toThrow(`cannot inspect ${under}: a part of the path is not a folder`);
    await expect(readRegularFile(under)).rejects.toThrow(`cannot read ${under}: a part of the path is not a folder`);
    expect(await readAuthFile(join(dir, 'missing.json'))).toBeUndefined();
  });

  it('reading refuses a link (it became one meanwhile) and a folder, by kind', async () => {
    writeFileSync(join(dir, 'real.json'), '{}');
    symlinkSync('real.json', join(dir, 'link.json'));
    await expect(readRegularFile(join(dir, 'link.json'))).rejects.toMatchObject({ kind: 'symbolic-link', message: expect.stringContaining('it became a symbolic link while we worked on it') as string });
    await expect(readRegularFile(dir)).rejects.toBeInstanceOf(AuthFileNotRegularError);
    await expect(readRegularFile(dir)).rejects.toMatchObject({ kind: 'directory' });
    expect((await readRegularFile(join(dir, 'real.json')))?.bytes.toString()).toBe('{}'); // control
  });

  it('a link to a folder says where the link leads; a folder itself does not need to', async () => {
    symlinkSync(tmpdir(), join(dir, 'config.json'));
    await expect(resolveWriteTarget(join(dir, 'config.json'))).rejects.toThrow(`${join(dir, 'config.json')} links to ${tmpdir()}, which is a directory, not a regular file`);
    const direct = await resolveWriteTarget(tmpdir()).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(AuthFileNotRegularError);
    expect((direct as Error).message).not.toContain('links to');
    await expect(resolveWriteTarget(`${dir}/`)).rejects.toThrow('the path ends with "/", so it names a folder, not a file; give the path of the file inside it (e.g. config.json)');
  });

  it('control: an access error is an AuthFileAccessError', async () => {
    writeFileSync(join(dir, 'file'), '');
    await expect(resolveWriteTarget(join(dir, 'file', 'x'))).rejects.toBeInstanceOf(AuthFileAccessError);
  });
});
