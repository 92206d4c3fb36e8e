import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { podmanLogin, removePodmanAuth, resolvePodmanAuthPath, toPodmanAuthDocument, writePodmanAuth } from '@ecr-auth/podman';
import { registerSecrets } from '../../../test-support/leaks.js';
import { ECR_HOST, tempDirs, testToken } from '../../../test-support/real-tools/fixtures.js';
import { expectAbortableWrites } from '../../../test-support/abortable-writes.ts';

const PASSWORD = 'podman-unit-password-8s7d';
registerSecrets(() => [PASSWORD]);
const token = testToken(PASSWORD);
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

describe('@ecr-auth/podman', () => {
  it('resolves the path as podman does', () => {
    expect(resolvePodmanAuthPath({ env: { REGISTRY_AUTH_FILE: '/a.json' } })).toEqual({ path: '/a.json', source: 'REGISTRY_AUTH_FILE' });
    expect(resolvePodmanAuthPath({ env: { XDG_RUNTIME_DIR: '/run/user/7' } })).toEqual({ path: '/run/user/7/containers/auth.json', source: 'XDG_RUNTIME_DIR' });
    expect(resolvePodmanAuthPath({ env: {}, uid: 7, platform: 'linux' })).toEqual({ path: '/run/containers/7/auth.json', source: 'run-containers' });
  });

  it('builds, writes and removes entries', async () => {
    expect(toPodmanAuthDocument(token, { repositories: ['a/b'] })).toEqual({ auths: { [`${ECR_HOST}/a/b`]: { auth: token.revealBasicAuth() } } });
    const dir = await dirs.make();
    const env = { XDG_RUNTIME_DIR: dir };
    const written = await writePodmanAuth(token, { env });
    expect(written).toMatchObject({ path: join(dir, 'containers', 'auth.json'), source: 'XDG_RUNTIME_DIR', registries: [ECR_HOST] });
    expect(await removePodmanAuth(ECR_HOST, { env })).toMatchObject({ removed: [ECR_HOST], changed: true });
    expect(JSON.parse(await readFile(written.path, 'utf8'))).toEqual({ auths: {} });
  });

  it('podmanLogin passes --authfile and --tls-verify=false, the password on stdin', async () => {
    const dir = await dirs.make();
    const script = join(dir, 'podman');
    await writeFile(script, `#!/bin/sh\nprintf '%s ' "$@" > "${dir}/args"\ncat > "${dir}/stdin"\n`, { mode: 0o755 });
    await podmanLogin(token, { command: script, authFile: '/x/auth.json', tlsVerify: false, extraArgs: ['--verbose'] });
    expect(await readFile(join(dir, 'args'), 'utf8')).toBe(`login --username AWS --password-stdin --authfile /x/auth.json --tls-verify=false --verbose ${ECR_HOST} `);
    expect(await readFile(join(dir, 'stdin'), 'utf8')).toBe(PASSWORD);
  });
});

describe('signal', () => {
  it('an abort ends a wait for the lock with its reason; the file is unchanged (without abort the write succeeds: control)', async () => {
    const authFile = join(await dirs.make(), 'auth.json');
    await expectAbortableWrites(authFile, {
      write: (signal) => writePodmanAuth(token, { authFile, signal }),
      remove: (host, signal, lock) => removePodmanAuth(host, { authFile, signal, ...(lock && { lock }) }),
    });
  });
});
