// End to end with the real tools: a token from the emulator through the real SDK, written by this package,
// read by skopeo, podman and buildah against a real registry.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizationToken } from 'ecr-auth';
import { ToolLoginError } from '@ecr-auth/auth-file';
import { podmanLogin, writePodmanAuth } from '@ecr-auth/podman';
import { recordError } from '../../../test-support/leaks.js';
import { getLogin, pull, skopeoPush, startEcrRegistryWorld, type RealToolsWorld } from '../../../test-support/real-tools/index.js';
import { needTools } from '../../../test-support/tools.ts';

const PASSWORD = 'podman-e2e-password-Qm7x2k';
const WRONG = 'podman-e2e-wrong-password-0000';

let world: RealToolsWorld;
let token: AuthorizationToken;
let stop: () => Promise<void>;
let wrong: AuthorizationToken;

beforeAll(async () => {
  ({ world, token, wrong, stop } = await startEcrRegistryWorld(PASSWORD, WRONG));
});

afterAll(async () => {
  await stop?.();
});

const AUTH_FAILURE = /unauthorized|authentication required|invalid username\/password/i;
const OTHER = { auths: { 'quay.io': { auth: 'cXVheTpxdWF5' } }, credHelpers: { 'gcr.io': 'gcloud' }, 'x-unknown': { kept: true } };

const tools = needTools('skopeo', 'podman', 'buildah', 'docker-registry', 'htpasswd');

describe.skipIf(tools.skip)(tools.title('podman auth file with the real tools'), () => {
  it('skopeo, podman and buildah login --get-login read the file written by writePodmanAuth', async () => {
    const box = await world.sandbox('get-login');
    const authFile = join(box.home, 'auth.json');
    await writeFile(authFile, JSON.stringify(OTHER, null, 2));
    // Negative control first: the file without our entry gives no login.
    for (const tool of ['skopeo', 'podman', 'buildah'] as const) {
      const none = await getLogin(tool, authFile, world.registry.host, box);
      expect(none.code, `${tool}: ${none.stderr}`).not.toBe(0);
      expect(none.stderr).toMatch(/not logged in/i);
    }
    const result = await writePodmanAuth(token, { authFile });
    expect(result).toMatchObject({ path: authFile, registries: [world.registry.host], source: 'option' });
    for (const tool of ['skopeo', 'podman', 'buildah'] as const) {
      const run = await getLogin(tool, authFile, world.registry.host, box);
      expect([run.code, run.stdout], `${tool}: ${run.stderr}`).toEqual([0, 'AWS\n']);
    }
    expect(JSON.parse(await readFile(authFile, 'utf8'))).toEqual({ ...OTHER, auths: { ...OTHER.auths, [world.registry.host]: { auth: token.revealBasicAuth() } } });
  });

  it('skopeo pushes and podman pulls with the file; the wrong password fails both', async () => {
    const box = await world.sandbox('push-pull');
    const good = join(box.home, 'good.json');
    const bad = join(box.home, 'bad.json');
    await writeFile(good, JSON.stringify(OTHER));
    await writePodmanAuth(token, { authFile: good });
    await writePodmanAuth(wrong, { authFile: bad });
    const reference = `${world.registry.host}/ns/app:v1`;

    const pushBad = await skopeoPush(world.layout.dir, `${world.registry.host}/ns/denied:v1`, bad, box);
    expect(pushBad.code).not.toBe(0);
    expect(pushBad.stderr).toMatch(AUTH_FAILURE);
    const push = await skopeoPush(world.layout.dir, reference, good, box);
    expect(push.code, push.stderr).toBe(0);

    const pullBad = await pull('podman', reference, bad, box);
    expect(pullBad.code).not.toBe(0);
    expect(pullBad.stderr).toMatch(AUTH_FAILURE);
    const pulled = await pull('podman', reference, good, box);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);

    const after = JSON.parse(await readFile(good, 'utf8')) as typeof OTHER;
    expect(after['x-unknown']).toEqual({ kept: true });
    expect(after.credHelpers).toEqual({ 'gcr.io': 'gcloud' });
    expect(after.auths['quay.io']).toEqual(OTHER.auths['quay.io']);
  });

  it('a repository-scoped entry wins over a wrong host-level entry (longest key), and only for its repository', async () => {
    const box = await world.sandbox('scoped');
    const reference = `${world.registry.host}/ns/app:v1`;
    const push = await skopeoPush(world.layout.dir, reference, await goodFile(box.home), box);
    expect(push.code, push.stderr).toBe(0);
    const authFile = join(box.home, 'scoped.json');
    await writePodmanAuth(wrong, { authFile });
    const hostOnly = await pull('podman', reference, authFile, box);
    expect(hostOnly.code).not.toBe(0);
    expect(hostOnly.stderr).toMatch(AUTH_FAILURE);
    await writePodmanAuth(token, { authFile, repositories: ['ns/other'] });
    const otherScope = await pull('podman', reference, authFile, box);
    expect(otherScope.code).not.toBe(0);
    expect(otherScope.stderr).toMatch(AUTH_FAILURE);
    await writePodmanAuth(token, { authFile, repositories: ['ns/app'] });
    const scoped = await pull('podman', reference, authFile, box);
    expect(scoped.code, scoped.stderr).toBe(0);
  });

  it('podmanLogin runs the real podman login with the password on stdin; a wrong one gives a typed error', async () => {
    const box = await world.sandbox('login');
    const authFile = join(box.home, 'login.json');
    const env = box.env;
    await podmanLogin(token, { authFile, tlsVerify: false, env });
    const run = await getLogin('podman', authFile, world.registry.host, box);
    expect([run.code, run.stdout]).toEqual([0, 'AWS\n']);
    const error = await podmanLogin(wrong, { authFile: join(box.home, 'wrong.json'), tlsVerify: false, env }).catch((e: unknown) => e);
    recordError(error);
    expect(error).toBeInstanceOf(ToolLoginError);
    expect(error).toMatchObject({ code: 'ECR_AUTH_TOOL_LOGIN_FAILED', tool: 'podman' });
    expect((error as ToolLoginError).exitCode).not.toBe(0);
    expect((error as ToolLoginError).stderr).toMatch(/invalid username\/password|unauthorized/i);
    expect((error as Error).message).not.toContain(WRONG);
  });

  async function goodFile(home: string): Promise<string> {
    const path = join(home, 'push.json');
    await writePodmanAuth(token, { authFile: path });
    return path;
  }
});
