// Issue 9, smaller items: --store-in-helper holds no file lock while the helper runs, and hands it no secret.
import { execFileSync } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CredentialHelperError, childEnvironment, runToolLogin, tryAcquireLock, writeContainersAuth } from '@ecr-auth/auth-file';
import { registerSecrets } from '../../../test-support/leaks.js';
import { tempDirs, testToken } from '../../../test-support/real-tools/fixtures.js';

const PASSWORD = 'store-helper-password-q81z';
const AWS_SECRET = 'aws-secret-access-key-do-not-pass-3k2';
const AWS_SESSION = 'aws-session-token-do-not-pass-9x1';
registerSecrets(() => [PASSWORD, AWS_SECRET, AWS_SESSION]);
const token = testToken(PASSWORD, '127.0.0.1:5000');
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

/** A helper (or tool) that records whether `lock` exists while it runs, and its environment. */
async function probe(bin: string, name: string, lock: string, exitCode = 0): Promise<string> {
  const path = join(bin, name);
  await writeFile(path, `#!/bin/sh\ncat > /dev/null\nif [ -e "${lock}" ]; then echo locked > "${path}.lock-seen"; else echo free > "${path}.lock-seen"; fi\nenv > "${path}.env"\nexit ${exitCode}\n`);
  await chmod(path, 0o755);
  return path;
}

const secretEnv = (bin: string): NodeJS.ProcessEnv => ({
  PATH: `${bin}:${process.env['PATH'] ?? ''}`,
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEYID0000',
  AWS_SECRET_ACCESS_KEY: AWS_SECRET,
  AWS_SESSION_TOKEN: AWS_SESSION,
  GITHUB_TOKEN: 'ghp_example',
  PASSWORD_STORE_DIR: '/home/me/.password-store',
  AWS_PROFILE: 'ci',
});

describe('store-in-helper', () => {
  it('runs the configured helper without holding the file lock, and without secrets in its environment', async () => {
    const root = await dirs.make();
    const authFile = join(root, 'auth.json');
    await writeFile(authFile, JSON.stringify({ credHelpers: { '127.0.0.1:5000': 'probe' }, auths: { 'other.example': { auth: 'eDp5' } } }));
    const helper = await probe(root, 'docker-credential-probe', `${authFile}.lock`);
    const result = await writeContainersAuth(token, { authFile, shadowed: 'store-in-helper', credentialHelper: { env: secretEnv(root) } });
    expect(result.entries).toMatchObject([{ key: '127.0.0.1:5000', storage: 'credential-helper', helper: 'probe' }]);
    expect(await readFile(`${helper}.lock-seen`, 'utf8')).toBe('free\n');
    const env = await readFile(`${helper}.env`, 'utf8');
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'GITHUB_TOKEN']) expect(env).not.toContain(`${name}=`);
    expect(env).not.toContain(AWS_SECRET);
    // Control: the environment dump works, and what helpers need stays.
    expect(env).toContain('PASSWORD_STORE_DIR=/home/me/.password-store');
    expect(env).toContain('AWS_PROFILE=ci');

    // Control: the probe does see a held lock (the old code ran the helper inside updateAuthFile's lock).
    const lock = tryAcquireLock(`${authFile}.lock`);
    execFileSync(helper, { input: '{}' });
    lock?.release();
    expect(await readFile(`${helper}.lock-seen`, 'utf8')).toBe('locked\n');
  });

  it('a failing helper leaves the file untouched', async () => {
    const root = await dirs.make();
    const authFile = join(root, 'auth.json');
    const before = JSON.stringify({ credHelpers: { '127.0.0.1:5000': 'probe' } });
    await writeFile(authFile, before);
    await probe(root, 'docker-credential-probe', `${authFile}.lock`, 1);
    const other = testToken(PASSWORD, 'other.example:5000');
    const error = await writeContainersAuth([token, other], { authFile, shadowed: 'store-in-helper', credentialHelper: { env: secretEnv(root) } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialHelperError);
    expect(await readFile(authFile, 'utf8')).toBe(before);
  });

  it('an abort stops a helper that hangs: rejected with the reason, the helper gone, the file untouched', async () => {
    const root = await dirs.make();
    const authFile = join(root, 'auth.json');
    const before = JSON.stringify({ credHelpers: { '127.0.0.1:5000': 'hang' } });
    await writeFile(authFile, before);
    const helper = join(root, 'docker-credential-hang');
    await writeFile(helper, `#!/bin/sh\necho $$ > "${helper}.pid"\nexec sleep 600\n`);
    await chmod(helper, 0o755);
    const controller = new AbortController();
    const reason = new Error('Ctrl-C');
    const pending = writeContainersAuth(token, { authFile, shadowed: 'store-in-helper', credentialHelper: { env: secretEnv(root) }, signal: controller.signal });
    while (!(await readFile(`${helper}.pid`, 'utf8').catch(() => '')).trim()) await new Promise((resolve) => setTimeout(resolve, 10));
    const pid = Number(await readFile(`${helper}.pid`, 'utf8'));
    expect(() => process.kill(pid, 0)).not.toThrow(); // control: it was running
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }) as Error);
    expect(await readFile(authFile, 'utf8')).toBe(before);
  });

  it('tool logins get the same clean environment', async () => {
    const root = await dirs.make();
    const tool = await probe(root, 'podman', join(root, 'none'));
    await runToolLogin('podman', token, { env: secretEnv(root) });
    const env = await readFile(`${tool}.env`, 'utf8');
    expect(env).not.toContain(AWS_SECRET);
    expect(env).not.toContain('AWS_SESSION_TOKEN=');
    expect(env).toContain('AWS_PROFILE=ci');
  });
});

describe('childEnvironment', () => {
  it.each([
    ['AWS_SECRET_ACCESS_KEY', false],
    ['AWS_SESSION_TOKEN', false],
    ['AWS_ACCESS_KEY_ID', false],
    ['AWS_SECURITY_TOKEN', false],
    ['AWS_CONTAINER_AUTHORIZATION_TOKEN', false],
    ['AWS_BEARER_TOKEN_BEDROCK', false],
    ['GITHUB_TOKEN', false],
    ['NPM_TOKEN', false],
    ['DB_PASSWORD', false],
    ['client_secret', false],
    ['PATH', true],
    ['HOME', true],
    ['PASSWORD_STORE_DIR', true],
    ['AWS_PROFILE', true],
    ['AWS_REGION', true],
    ['DOCKER_CONFIG', true],
    ['TOKENIZERS_PARALLELISM', true],
  ])('%s kept: %s', (name, kept) => {
    expect(name in childEnvironment({ [name]: 'v' })).toBe(kept);
  });
});
