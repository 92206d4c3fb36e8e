// End to end with the real tools: a token from the emulator through the real SDK, written by this package,
// read by buildah (and skopeo) against a real registry.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizationToken } from 'ecr-auth';
import { ToolLoginError } from '@ecr-auth/auth-file';
import { buildahLogin, writeBuildahAuth } from '@ecr-auth/buildah';
import { recordError } from '../../../test-support/leaks.js';
import { getLogin, pull, skopeoPush, startEcrRegistryWorld, type RealToolsWorld } from '../../../test-support/real-tools/index.js';
import { needTools } from '../../../test-support/tools.ts';

const PASSWORD = 'buildah-e2e-password-Zp41vb';
const WRONG = 'buildah-e2e-wrong-password-1111';
const AUTH_FAILURE = /unauthorized|authentication required|invalid username\/password/i;

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

const OTHER = { auths: { 'docker.io': { auth: 'ZDpk', 'x-entry-note': 1 } }, 'x-top': ['kept'] };

const tools = needTools('skopeo', 'buildah', 'docker-registry', 'htpasswd');

describe.skipIf(tools.skip)(tools.title('buildah auth file with the real tools'), () => {
  it('buildah login --get-login reads the file; skopeo pushes and buildah pulls with it; a wrong password fails', async () => {
    const box = await world.sandbox('buildah');
    const good = join(box.home, 'auth.json');
    const bad = join(box.home, 'bad.json');
    await writeFile(good, JSON.stringify(OTHER, null, '\t'));
    const none = await getLogin('buildah', good, world.registry.host, box);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/not logged in/i);

    const result = await writeBuildahAuth(token, { authFile: good });
    expect(result).toMatchObject({ path: good, registries: [world.registry.host], changed: true });
    await writeBuildahAuth(wrong, { authFile: bad });
    const login = await getLogin('buildah', good, world.registry.host, box);
    expect([login.code, login.stdout]).toEqual([0, 'AWS\n']);

    const reference = `${world.registry.host}/ns/app:v1`;
    const pushBad = await skopeoPush(world.layout.dir, reference, bad, box);
    expect(pushBad.code).not.toBe(0);
    expect(pushBad.stderr).toMatch(AUTH_FAILURE);
    const push = await skopeoPush(world.layout.dir, reference, good, box);
    expect(push.code, push.stderr).toBe(0);

    const pullBad = await pull('buildah', reference, bad, box);
    expect(pullBad.code).not.toBe(0);
    expect(pullBad.stderr).toMatch(AUTH_FAILURE);
    const pulled = await pull('buildah', reference, good, box);
    expect(pulled.code, pulled.stderr).toBe(0);

    const text = await readFile(good, 'utf8');
    expect(text.startsWith('{\n\t"auths"')).toBe(true); // tab indentation kept
    expect(JSON.parse(text)).toEqual({ auths: { ...OTHER.auths, [world.registry.host]: { auth: token.revealBasicAuth() } }, 'x-top': ['kept'] });
  });

  it('buildahLogin runs the real buildah login; a wrong password gives a typed error without the password', async () => {
    const box = await world.sandbox('buildah-login');
    const authFile = join(box.home, 'login.json');
    await buildahLogin(token, { authFile, tlsVerify: false, env: box.env });
    const login = await getLogin('buildah', authFile, world.registry.host, box);
    expect([login.code, login.stdout]).toEqual([0, 'AWS\n']);
    const error = await buildahLogin(wrong, { authFile: join(box.home, 'wrong.json'), tlsVerify: false, env: box.env }).catch((e: unknown) => e);
    recordError(error);
    expect(error).toBeInstanceOf(ToolLoginError);
    expect(error).toMatchObject({ tool: 'buildah', exitCode: 125 });
    expect((error as ToolLoginError).stderr).toMatch(AUTH_FAILURE);
    expect((error as Error).message).not.toContain(WRONG);
  });
});
