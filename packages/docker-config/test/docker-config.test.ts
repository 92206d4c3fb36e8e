import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EntryShadowedError } from '@ecr-auth/auth-file';
import { dockerLogin, mergeDockerConfig, removeDockerConfig, resolveDockerConfigPath, toDockerConfigDocument, writeDockerConfig } from '@ecr-auth/docker-config';
import { recordError, registerSecrets } from '../../../test-support/leaks.js';
import { ECR_HOST, tempDirs, testToken } from '../../../test-support/real-tools/fixtures.js';
import { expectAbortableWrites } from '../../../test-support/abortable-writes.ts';

const PASSWORD = 'docker-config-test-password-93kd';
registerSecrets(() => [PASSWORD]);
const token = testToken(PASSWORD);
const auth = token.revealBasicAuth();
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

describe('resolveDockerConfigPath', () => {
  it.each([
    [{ path: '/x/c.json', configDir: '/d', env: { DOCKER_CONFIG: '/e' } }, '/x/c.json', 'option'],
    [{ configDir: '/d', env: { DOCKER_CONFIG: '/e' } }, '/d/config.json', 'configDir'],
    [{ env: { DOCKER_CONFIG: '/e' } }, '/e/config.json', 'DOCKER_CONFIG'],
    [{ env: { DOCKER_CONFIG: '' } }, '/home/me/.docker/config.json', 'home'],
    [{ env: {} }, '/home/me/.docker/config.json', 'home'],
  ])('%j → %s (%s)', (options, path, source) => {
    expect(resolveDockerConfigPath({ home: '/home/me', ...options })).toEqual({ path, source });
  });
});

describe('transforms', () => {
  it('builds the auths entry with a bare host key', () => {
    expect(toDockerConfigDocument(token)).toEqual({ auths: { [ECR_HOST]: { auth } } });
    expect(toDockerConfigDocument(token, { registry: '127.0.0.1:5000' })).toEqual({ auths: { '127.0.0.1:5000': { auth } } });
    expect(Buffer.from(auth, 'base64').toString()).toBe(`AWS:${PASSWORD}`);
  });

  it('merges, dropping the https:// twin and keeping everything else', () => {
    const current = {
      auths: { [`https://${ECR_HOST}`]: { auth: 'old' }, 'ghcr.io': { auth: 'g' }, [ECR_HOST]: { auth: 'older', email: 'kept' } },
      credHelpers: { 'gcr.io': 'gcloud' },
      proxies: { default: {} },
      detachKeys: 'ctrl-e',
    };
    expect(mergeDockerConfig(current, token)).toEqual({
      auths: { 'ghcr.io': { auth: 'g' }, [ECR_HOST]: { auth, email: 'kept' } },
      credHelpers: { 'gcr.io': 'gcloud' },
      proxies: { default: {} },
      detachKeys: 'ctrl-e',
    });
  });
});

describe('writeDockerConfig', () => {
  it('writes a new config 0600 in a 0700 folder from DOCKER_CONFIG and reports it', async () => {
    const dir = join(await dirs.make(), 'docker');
    const result = await writeDockerConfig(token, { env: { DOCKER_CONFIG: dir } });
    expect(result).toMatchObject({ path: join(dir, 'config.json'), source: 'DOCKER_CONFIG', created: true, registries: [ECR_HOST] });
    expect(result.expiresAt).toEqual(token.expiresAt);
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
    expect(JSON.stringify(result)).not.toContain(auth);
    expect((await stat(join(dir, 'config.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it.each([
    [{ credsStore: 'desktop' }, 'credsStore', 'desktop'],
    [{ credHelpers: { [ECR_HOST]: 'ecr-login' } }, 'credHelpers', 'ecr-login'],
  ])('refuses an entry shadowed by %j and leaves the file untouched', async (settings, source, helper) => {
    const home = await dirs.make();
    const path = join(home, '.docker', 'config.json');
    await writeDockerConfig(testToken('other', 'ghcr.io'), { home, env: {} });
    await writeFile(path, JSON.stringify({ ...JSON.parse(await readFile(path, 'utf8')), ...settings }, null, '\t'));
    const before = await readFile(path, 'utf8');
    const error = await writeDockerConfig(token, { home, env: {} }).catch((e: unknown) => e);
    recordError(error);
    expect(error).toBeInstanceOf(EntryShadowedError);
    expect(error).toMatchObject({ key: ECR_HOST, source, helper, path });
    expect((error as Error).message).toContain(`docker-credential-${helper}`);
    expect((error as Error).message).not.toContain(PASSWORD);
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('writes when credHelpers names another host only (control)', async () => {
    const home = await dirs.make();
    const path = join(home, '.docker', 'config.json');
    await writeDockerConfig(testToken('x', 'ghcr.io'), { home, env: {} });
    await writeFile(path, JSON.stringify({ credHelpers: { 'gcr.io': 'gcloud' } }));
    await expect(writeDockerConfig(token, { home, env: {} })).resolves.toMatchObject({ changed: true });
  });

  it('skips a host served by our own helper (credsStore or credHelpers)', async () => {
    const home = await dirs.make();
    const path = join(home, '.docker', 'config.json');
    await writeDockerConfig(testToken('x', 'ghcr.io'), { home, env: {} });
    await writeFile(path, JSON.stringify({ credsStore: 'ecr-auth' }));
    const result = await writeDockerConfig(token, { home, env: {} });
    expect(result.entries).toEqual([{ key: ECR_HOST, registry: ECR_HOST, storage: 'served-by-helper', helper: 'ecr-auth', expiresAt: token.expiresAt }]);
    expect(result.changed).toBe(false);
  });

  it('removes entries (logout) with their twins', async () => {
    const dir = await dirs.make();
    const path = join(dir, 'config.json');
    await writeFile(path, JSON.stringify({ auths: { [ECR_HOST]: { auth }, [`https://${ECR_HOST}/v1/`]: { auth }, 'ghcr.io': { auth: 'g' } }, credsStore: '' }));
    const result = await removeDockerConfig(ECR_HOST, { configDir: dir });
    expect(result).toMatchObject({ changed: true, removed: [ECR_HOST, `https://${ECR_HOST}/v1/`], source: 'configDir' });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ auths: { 'ghcr.io': { auth: 'g' } }, credsStore: '' });
    // Changed on purpose (issue 9): a spelling of a host found in config files names that host; garbage is refused.
    await expect(removeDockerConfig('not a host', { configDir: dir })).rejects.toThrow(/not a bare host/);
  });

  it.each([`https://${ECR_HOST}`, `http://${ECR_HOST}/`, `${ECR_HOST}/`, `https://${ECR_HOST}/v1/`, `https://${ECR_HOST}/v2/`, `${ECR_HOST}/v2/`, `HTTPS://${ECR_HOST.toUpperCase()}`])(
    'logout removes the key %s, asked by host or by that very spelling; other keys stay (control)',
    async (key) => {
      const dir = await dirs.make();
      const path = join(dir, 'config.json');
      const others = { 'ghcr.io': { auth: 'g' }, [`${ECR_HOST}/team/app`]: { auth: 'scoped' }, [`https://other.${ECR_HOST}`]: { auth: 'o' } };
      for (const asked of [ECR_HOST, key]) {
        await writeFile(path, JSON.stringify({ auths: { [key]: { auth }, ...others } }));
        const result = await removeDockerConfig(asked, { path });
        expect(result.removed).toEqual([key]);
        expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ auths: others });
      }
    },
  );
});

describe('dockerLogin', () => {
  it('runs the overridden command with DOCKER_CONFIG and the password on stdin only', async () => {
    const dir = await dirs.make();
    const script = join(dir, 'fake-docker');
    await writeFile(script, `#!/bin/sh\nprintf '%s ' "$@" > "${dir}/args"\necho "$DOCKER_CONFIG" > "${dir}/env"\ncat > "${dir}/stdin"\n`, { mode: 0o755 });
    const result = await dockerLogin(token, { command: script, configDir: join(dir, 'cfg') });
    expect(await readFile(join(dir, 'args'), 'utf8')).toBe(`login --username AWS --password-stdin ${ECR_HOST} `);
    expect(await readFile(join(dir, 'env'), 'utf8')).toBe(`${join(dir, 'cfg')}\n`);
    expect(await readFile(join(dir, 'stdin'), 'utf8')).toBe(PASSWORD);
    expect(result.args).not.toContain(PASSWORD);
  });

  it('runs docker from the PATH it is given; without configDir the DOCKER_CONFIG of env reaches it, with configDir the rest of env does', async () => {
    const dir = await dirs.make();
    await writeFile(join(dir, 'docker'), `#!/bin/sh\necho "$DOCKER_CONFIG|$EXTRA" > "${dir}/env"\ncat > /dev/null\n`, { mode: 0o755 });
    const env = { PATH: `${dir}:/usr/bin:/bin`, EXTRA: 'kept', DOCKER_CONFIG: join(dir, 'from-env') };
    const plain = await dockerLogin(token, { env });
    expect(plain.command).toBe('docker');
    expect(await readFile(join(dir, 'env'), 'utf8')).toBe(`${join(dir, 'from-env')}|kept\n`);
    await dockerLogin(token, { env, configDir: join(dir, 'cfg') }); // control: configDir wins over env's DOCKER_CONFIG
    expect(await readFile(join(dir, 'env'), 'utf8')).toBe(`${join(dir, 'cfg')}|kept\n`);
  });
});

describe('signal', () => {
  it('an abort ends a wait for the lock with its reason; the file is unchanged (without abort the write succeeds: control)', async () => {
    const path = join(await dirs.make(), 'config.json');
    await expectAbortableWrites(path, {
      write: (signal) => writeDockerConfig(token, { path, signal }),
      remove: (host, signal, lock) => removeDockerConfig(host, { path, signal, ...(lock && { lock }) }),
    });
  });
});
