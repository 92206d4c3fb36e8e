import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidOptionError } from 'ecr-auth';
import {
  EntryShadowedError,
  containersAuthLookupPaths,
  mergeContainersAuth,
  removeContainersAuth,
  resolveContainersAuthPath,
  tryAcquireLock,
  toContainersAuthDocument,
  writeContainersAuth,
} from '@ecr-auth/auth-file';
import { recordError, registerSecrets } from '../../../test-support/leaks.js';
import { ECR_HOST, tempDirs, testToken } from '../../../test-support/real-tools/fixtures.js';
import { fakeCommand } from './fake-commands.js';

const PASSWORD = 'containers-test-password-51d0';
registerSecrets(() => [PASSWORD]);
const token = testToken(PASSWORD);
const auth = token.revealBasicAuth();
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

describe('resolveContainersAuthPath', () => {
  const home = '/home/me';
  it.each([
    [{ authFile: '/x/a.json', env: { REGISTRY_AUTH_FILE: '/y' } }, '/x/a.json', 'option'],
    [{ env: { REGISTRY_AUTH_FILE: '/y/auth.json', XDG_RUNTIME_DIR: '/run/user/1' } }, '/y/auth.json', 'REGISTRY_AUTH_FILE'],
    [{ env: { XDG_RUNTIME_DIR: '/run/user/1000' } }, '/run/user/1000/containers/auth.json', 'XDG_RUNTIME_DIR'],
    [{ env: {}, uid: 1000 }, '/run/containers/1000/auth.json', 'run-containers'],
    [{ env: { XDG_RUNTIME_DIR: '' }, uid: 0 }, '/run/containers/0/auth.json', 'run-containers'],
    [{ env: { XDG_RUNTIME_DIR: '/r', XDG_CONFIG_HOME: '/cfg' }, persistent: true }, '/cfg/containers/auth.json', 'XDG_CONFIG_HOME'],
    [{ env: { XDG_RUNTIME_DIR: '/r' }, persistent: true }, '/home/me/.config/containers/auth.json', 'home-config'],
    [{ env: { XDG_RUNTIME_DIR: '/r' }, platform: 'darwin' as const }, '/home/me/.config/containers/auth.json', 'home-config'],
    [{ env: { XDG_RUNTIME_DIR: '/r' }, platform: 'win32' as const }, '/home/me/.config/containers/auth.json', 'home-config'],
  ])('%j → %s', (options, path, source) => {
    expect(resolveContainersAuthPath({ home, ...options })).toEqual({ path, source });
  });

  it('lists the lookup order of the tools', () => {
    expect(containersAuthLookupPaths({ home, env: { XDG_RUNTIME_DIR: '/r', DOCKER_CONFIG: '/d' } })).toEqual([
      '/r/containers/auth.json',
      '/home/me/.config/containers/auth.json',
      '/d/config.json',
      '/home/me/.dockercfg',
    ]);
    // Without DOCKER_CONFIG, Docker's own file in the home folder.
    expect(containersAuthLookupPaths({ home, env: { XDG_RUNTIME_DIR: '/r' } })[2]).toBe('/home/me/.docker/config.json');
  });
});

describe('containers-auth.json transforms', () => {
  it('builds the document with bare host keys', () => {
    expect(toContainersAuthDocument(token)).toEqual({ auths: { [ECR_HOST]: { auth } } });
    expect(toContainersAuthDocument(token, { registry: '127.0.0.1:5000' })).toEqual({ auths: { '127.0.0.1:5000': { auth } } });
  });

  it('scopes to repositories', () => {
    expect(toContainersAuthDocument(token, { repositories: ['team/app', 'tools'] })).toEqual({
      auths: { [`${ECR_HOST}/team/app`]: { auth }, [`${ECR_HOST}/tools`]: { auth } },
    });
  });

  it('refuses bad input', () => {
    expect(() => toContainersAuthDocument(token, { registry: 'https://x' })).toThrow(InvalidOptionError);
    expect(() => toContainersAuthDocument([token, token], { registry: 'x' })).toThrow(/exactly one token/);
    expect(() => toContainersAuthDocument([])).toThrow(/no token/);
    expect(() => toContainersAuthDocument(token, { repositories: ['app:v1'] })).toThrow(InvalidOptionError);
  });

  it('merges without losing what is not ours', () => {
    const merged = mergeContainersAuth({ auths: { 'quay.io': { auth: 'q' }, [`https://${ECR_HOST}`]: { auth: 'old' } }, credHelpers: { 'gcr.io': 'gcloud' } }, token);
    expect(merged).toEqual({ auths: { 'quay.io': { auth: 'q' }, [ECR_HOST]: { auth } }, credHelpers: { 'gcr.io': 'gcloud' } });
  });
});

describe('writeContainersAuth and credential helpers', () => {
  const before = JSON.stringify({ auths: { 'quay.io': { auth: 'cQ==' } }, credHelpers: { [ECR_HOST]: 'ecr-login' }, credsStore: 'desktop' }, null, 2);

  it('refuses by default to write an entry that credHelpers shadows, naming the key and the fix', async () => {
    const path = join(await dirs.make(), 'auth.json');
    await writeFile(path, before);
    const error = await writeContainersAuth(token, { authFile: path }).catch((e: unknown) => e);
    recordError(error);
    expect(error).toBeInstanceOf(EntryShadowedError);
    expect(error).toMatchObject({ code: 'ECR_AUTH_ENTRY_SHADOWED', key: ECR_HOST, source: 'credHelpers', helper: 'ecr-login', path });
    expect((error as Error).message).toContain(`auths["${ECR_HOST}"] would never be read`);
    expect((error as Error).message).toContain("shadowed: 'store-in-helper'");
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('ignores credsStore (the containers tools do) — control for the test above', async () => {
    const path = join(await dirs.make(), 'auth.json');
    await writeFile(path, before);
    const result = await writeContainersAuth(token, { authFile: path, registry: 'other.example' });
    expect(result.entries).toEqual([{ key: 'other.example', registry: 'other.example', storage: 'file', expiresAt: token.expiresAt }]);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ credsStore: 'desktop', auths: { 'quay.io': { auth: 'cQ==' }, 'other.example': { auth } } });
  });

  it('reports a host served by our own helper and writes nothing', async () => {
    const path = join(await dirs.make(), 'auth.json');
    const text = JSON.stringify({ credHelpers: { [ECR_HOST]: 'ecr-auth' } });
    await writeFile(path, text);
    const result = await writeContainersAuth(token, { authFile: path });
    expect(result.entries).toEqual([{ key: ECR_HOST, registry: ECR_HOST, storage: 'served-by-helper', helper: 'ecr-auth', expiresAt: token.expiresAt }]);
    expect(result.changed).toBe(false);
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('stores through the configured helper when asked', async () => {
    const dir = await dirs.make();
    const path = join(dir, 'auth.json');
    await writeFile(path, before);
    const helper = await fakeCommand(dir, 'docker-credential-ecr-login');
    const result = await writeContainersAuth([token, token.withRegistry('other.example')], {
      authFile: path,
      shadowed: 'store-in-helper',
      credentialHelper: { env: { ...process.env, PATH: `${dir}:${process.env['PATH'] ?? ''}` } },
    });
    expect(result.entries.map((e) => [e.key, e.storage])).toEqual([
      [ECR_HOST, 'credential-helper'],
      ['other.example', 'file'],
    ]);
    expect(JSON.parse(await readFile(`${helper}.stdin`, 'utf8'))).toEqual({ ServerURL: ECR_HOST, Username: 'AWS', Secret: PASSWORD });
    const after = JSON.parse(await readFile(path, 'utf8')) as { auths: Record<string, unknown> };
    expect(Object.keys(after.auths)).toEqual(['quay.io', 'other.example']);
  });

  it('removes entries (logout) and keeps the file mode; a missing file stays missing', async () => {
    const dir = await dirs.make();
    const path = join(dir, 'auth.json');
    await writeFile(path, JSON.stringify({ auths: { [ECR_HOST]: { auth }, [`${ECR_HOST}/team/app`]: { auth }, 'quay.io': { auth: 'q' } }, x: 1 }), { mode: 0o644 });
    const result = await removeContainersAuth(ECR_HOST, { authFile: path, includeScoped: true });
    expect(result).toMatchObject({ path, changed: true, removed: [ECR_HOST, `${ECR_HOST}/team/app`], source: 'option' });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ auths: { 'quay.io': { auth: 'q' } }, x: 1 });
    expect((await stat(path)).mode & 0o777).toBe(0o644);
    const missing = await removeContainersAuth(ECR_HOST, { authFile: join(dir, 'none', 'auth.json') });
    expect(missing).toMatchObject({ changed: false, removed: [] });
    await expect(stat(join(dir, 'none'))).rejects.toMatchObject({ code: 'ENOENT' });
    // A list of keys, in any spelling; and the lock options reach the lock (a held lock 10 s old, broken at staleMs 5 s).
    await writeFile(path, JSON.stringify({ auths: { [ECR_HOST]: { auth } } }));
    expect(tryAcquireLock(`${path}.lock`)).toBeDefined();
    const tenSecondsAgo = new Date(Date.now() - 10_000);
    await utimes(`${path}.lock`, tenSecondsAgo, tenSecondsAgo);
    expect((await removeContainersAuth([`https://${ECR_HOST}/`], { authFile: path, lock: { staleMs: 5_000, timeoutMs: 50 } })).removed).toEqual([ECR_HOST]);
  });
});
