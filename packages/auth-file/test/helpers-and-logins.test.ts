import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CredentialHelperError, ToolLoginError, eraseFromCredentialHelper, redactSecrets, runToolLogin, storeInCredentialHelper } from '@ecr-auth/auth-file';
import { recordError, registerSecrets } from '../../../test-support/leaks.js';
import { tempDirs, testToken } from '../../../test-support/real-tools/fixtures.js';
import { fakeCommand } from './fake-commands.js';

const PASSWORD = 'helper-test-password-7f3a9c';
registerSecrets(() => [PASSWORD]);
const token = testToken(PASSWORD, '127.0.0.1:5000');
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function envWith(bin: string): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` };
}

describe('redactSecrets', () => {
  it('removes secrets and their base64 form, and trims', () => {
    const b64 = Buffer.from('pw-1').toString('base64');
    expect(redactSecrets(` a pw-1 b ${b64} c \n`, ['pw-1'])).toBe('a [redacted] b [redacted] c');
    expect(redactSecrets('x'.repeat(10), [], 4)).toBe('xxxx…');
    expect(redactSecrets('nothing here', ['', 'pw'])).toBe('nothing here');
  });
});

describe('credential helpers', () => {
  it('stores with the docker protocol: JSON on stdin, nothing secret on argv', async () => {
    const bin = await dirs.make();
    const helper = await fakeCommand(bin, 'docker-credential-fake');
    await storeInCredentialHelper('fake', token, { env: envWith(bin) });
    expect(await readFile(`${helper}.args`, 'utf8')).toBe('store\n');
    expect(JSON.parse(await readFile(`${helper}.stdin`, 'utf8'))).toEqual({ ServerURL: '127.0.0.1:5000', Username: 'AWS', Secret: PASSWORD });
  });

  it('fails with a typed error carrying the helper output, secrets redacted', async () => {
    const bin = await dirs.make();
    await fakeCommand(bin, 'docker-credential-fake', { exitCode: 3, output: 'keychain locked: ', echoStdin: true });
    const error = await storeInCredentialHelper('fake', token, { env: envWith(bin) }).catch((e: unknown) => e);
    recordError(error);
    expect(error).toBeInstanceOf(CredentialHelperError);
    expect(error).toMatchObject({ code: 'ECR_AUTH_CREDENTIAL_HELPER_FAILED', helper: 'fake', exitCode: 3 });
    expect((error as Error).message).toContain('docker-credential-fake store exited with 3: keychain locked');
    expect((error as Error).message).toContain('[redacted]');
    expect((error as Error).message).not.toContain(PASSWORD);
  });

  it('reports a missing helper', async () => {
    const error = await storeInCredentialHelper('does-not-exist-xyz', token).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ECR_AUTH_CREDENTIAL_HELPER_FAILED', exitCode: undefined });
    expect((error as Error).message).toMatch(/docker-credential-does-not-exist-xyz store could not run: .*ENOENT/);
  });

  it('erases by server on stdin', async () => {
    const bin = await dirs.make();
    const helper = await fakeCommand(bin, 'docker-credential-fake');
    await eraseFromCredentialHelper('fake', '127.0.0.1:5000', { env: envWith(bin) });
    expect(await readFile(`${helper}.args`, 'utf8')).toBe('erase\n');
    expect(await readFile(`${helper}.stdin`, 'utf8')).toBe('127.0.0.1:5000');
  });
});

describe('runToolLogin', () => {
  it('passes the password on stdin only', async () => {
    const bin = await dirs.make();
    const tool = await fakeCommand(bin, 'podman');
    const result = await runToolLogin('podman', token, { env: envWith(bin), extraArgs: ['--authfile', '/tmp/a.json'] });
    const args = await readFile(`${tool}.args`, 'utf8');
    expect(args).toBe('login\n--username\nAWS\n--password-stdin\n--authfile\n/tmp/a.json\n127.0.0.1:5000\n');
    expect(await readFile(`${tool}.stdin`, 'utf8')).toBe(PASSWORD);
    expect(result).toEqual({ command: 'podman', args: args.trim().split('\n'), registry: '127.0.0.1:5000', expiresAt: token.expiresAt });
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it('uses an overridden command and registry', async () => {
    const bin = await dirs.make();
    const tool = await fakeCommand(bin, 'my-buildah');
    await runToolLogin('buildah', token, { command: join(bin, 'my-buildah'), registry: 'other.example:443' });
    expect(await readFile(`${tool}.args`, 'utf8')).toContain('other.example:443\n');
  });

  it('fails with a typed error carrying stderr, secrets redacted', async () => {
    const bin = await dirs.make();
    await fakeCommand(bin, 'docker', { exitCode: 1, output: 'Error response from daemon: unauthorized: ', toStderr: true, echoStdin: true });
    const error = await runToolLogin('docker', token, { env: envWith(bin) }).catch((e: unknown) => e);
    recordError(error);
    expect(error).toBeInstanceOf(ToolLoginError);
    expect(error).toMatchObject({ code: 'ECR_AUTH_TOOL_LOGIN_FAILED', tool: 'docker', exitCode: 1 });
    expect((error as ToolLoginError).stderr).toBe('Error response from daemon: unauthorized: [redacted]');
    expect((error as Error).message).not.toContain(PASSWORD);
  });
});
