// End to end with the real Docker CLI: a token from the emulator through the real SDK, written by this
// package, read by `docker manifest inspect` (no engine needed) against a real registry.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizationToken } from 'ecr-auth';
import { EntryShadowedError, writeContainersAuth } from '@ecr-auth/auth-file';
import { dockerLogin, writeDockerConfig } from '@ecr-auth/docker-config';
import { recordError } from '../../../test-support/leaks.js';
import { dockerManifestInspect, skopeoPush, startEcrRegistryWorld, testToken, type RealToolsWorld } from '../../../test-support/real-tools/index.js';
import { needTools } from '../../../test-support/tools.ts';

const PASSWORD = 'docker-e2e-password-Hq83nd';
const WRONG = 'docker-e2e-wrong-password-2222';

let world: RealToolsWorld;
let token: AuthorizationToken;
let stop: () => Promise<void>;
let wrong: AuthorizationToken;
let reference: string;

beforeAll(async () => {
  ({ world, token, wrong, stop } = await startEcrRegistryWorld(PASSWORD, WRONG));
  reference = `${world.registry.host}/ns/app:v1`;
  const box = await world.sandbox('seed');
  const authFile = join(box.home, 'auth.json');
  await writeContainersAuth(token, { authFile });
  const push = await skopeoPush(world.layout.dir, reference, authFile, box);
  if (push.code !== 0) throw new Error(`seeding the registry failed: ${push.stderr}`);
});

afterAll(async () => {
  await stop?.();
});

const OTHER = { auths: { 'ghcr.io': { auth: 'Z2g6Z2g=' } }, credHelpers: { 'gcr.io': 'gcloud' }, proxies: { default: { noProxy: '*.local' } }, detachKeys: 'ctrl-x' };

const tools = needTools('skopeo', 'docker', 'docker-registry', 'htpasswd');

describe.skipIf(tools.skip)(tools.title('docker config with the real Docker CLI'), () => {
  it('docker manifest inspect reads our config; the wrong password fails; other content stays', async () => {
    const box = await world.sandbox('docker');
    const good = join(box.home, 'good');
    const bad = join(box.home, 'bad');
    await writeDockerConfig(wrong, { configDir: bad });
    const denied = await dockerManifestInspect(reference, bad, box);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/no such manifest|unauthorized/i); // docker reports a 401 as "no such manifest"

    await writeDockerConfig(testToken('x', 'ghcr.io'), { configDir: good });
    await writeFile(join(good, 'config.json'), JSON.stringify({ ...OTHER, auths: { ...OTHER.auths, [`https://${world.registry.host}`]: { auth: wrong.revealBasicAuth() } } }, null, '\t'));
    const result = await writeDockerConfig(token, { env: { ...box.env, DOCKER_CONFIG: good } });
    expect(result).toMatchObject({ source: 'DOCKER_CONFIG', registries: [world.registry.host], removedTwins: [`https://${world.registry.host}`] });
    const run = await dockerManifestInspect(reference, good, box);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json' });
    expect(JSON.parse(await readFile(join(good, 'config.json'), 'utf8'))).toEqual({ ...OTHER, auths: { ...OTHER.auths, [world.registry.host]: { auth: token.revealBasicAuth() } } });
  });

  it('credsStore shadows auths: refused by default; stored through the helper on request, and docker reads it there', async () => {
    const box = await world.sandbox('helper');
    const dir = join(box.home, 'docker');
    // A minimal credential helper keeping one credential in a file: store saves stdin, get prints it back.
    const helper = join(box.home, 'docker-credential-testvault');
    await writeFile(helper, `#!/bin/sh\ncase "$1" in\n  store) cat > "${box.home}/vault.json" ;;\n  get) cat "${box.home}/vault.json" 2>/dev/null || { echo "credentials not found in native keychain"; exit 1; } ;;\n  *) exit 1 ;;\nesac\n`);
    await chmod(helper, 0o755);
    const env = { ...box.env, PATH: `${box.home}:${box.env['PATH'] ?? ''}` };
    await writeDockerConfig(testToken('x', 'ghcr.io'), { configDir: dir });
    await writeFile(join(dir, 'config.json'), JSON.stringify({ credsStore: 'testvault', auths: {} }));

    const error = await writeDockerConfig(token, { configDir: dir }).catch((e: unknown) => e);
    recordError(error);
    expect(error).toBeInstanceOf(EntryShadowedError);
    expect(error).toMatchObject({ source: 'credsStore', helper: 'testvault', key: world.registry.host });
    // Control: had we written auths anyway, docker would not read it (it asks the empty helper and fails).
    await writeFile(join(dir, 'config.json'), JSON.stringify({ credsStore: 'testvault', auths: { [world.registry.host]: { auth: token.revealBasicAuth() } } }));
    const ignored = await dockerManifestInspect(reference, dir, { ...box, env });
    expect(ignored.code).toBe(1);

    const stored = await writeDockerConfig(token, { configDir: dir, shadowed: 'store-in-helper', credentialHelper: { env } });
    expect(stored.entries).toEqual([{ key: world.registry.host, registry: world.registry.host, storage: 'credential-helper', helper: 'testvault', expiresAt: token.expiresAt }]);
    expect(JSON.parse(await readFile(join(box.home, 'vault.json'), 'utf8'))).toEqual({ ServerURL: world.registry.host, Username: 'AWS', Secret: PASSWORD });
    const run = await dockerManifestInspect(reference, dir, { ...box, env });
    expect(run.code, run.stderr).toBe(0);
  });

  it('dockerLogin runs the real docker login (no engine needed for this registry); a wrong password gives a typed error', async () => {
    const box = await world.sandbox('docker-login');
    const dir = join(box.home, 'docker');
    await dockerLogin(token, { configDir: dir, env: box.env });
    const run = await dockerManifestInspect(reference, dir, box);
    expect(run.code, run.stderr).toBe(0);
    const error = await dockerLogin(wrong, { configDir: join(box.home, 'wrong'), env: box.env }).catch((e: unknown) => e);
    recordError(error);
    expect(error).toMatchObject({ code: 'ECR_AUTH_TOOL_LOGIN_FAILED', tool: 'docker', exitCode: 1 });
    expect((error as Error).message).toMatch(/unauthorized|incorrect username or password/i);
    expect((error as Error).message).not.toContain(WRONG);
  });
});
