// Real tools through our credential helper and our login, against a real registry (distribution) whose
// htpasswd user is AWS with the emulator's password. The registry is 127.0.0.1:PORT, not an ECR name: the
// configuration file maps it to a region and account (the custom-hostname feature).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Emulator } from '@ecr-auth/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { recordOutput } from '../../../test-support/leaks.ts';
import { dockerManifestInspect, pull, skopeoInspect, skopeoPush, startRegistry, writeOciLayout, type TestRegistry, type ToolSandbox } from '../../../test-support/real-tools/index.js';
import { needTools } from '../../../test-support/tools.ts';
import { cleanupHomes, ecrAuth, helperOnPath, isolatedEnv, killAll, makeHome, writeConfig } from './support.ts';

const PASSWORD = 'registry-password-5d1c9e7a40';

const tools = needTools('skopeo', 'podman', 'buildah', 'docker', 'docker-registry', 'htpasswd');

describe.skipIf(tools.skip)(tools.title('skopeo, podman and docker through ecr-auth'), () => {
  let emulator: Emulator;
  let wrong: Emulator;
  let registry: TestRegistry;
  let base: string;
  let reference: string;

  /** A sandbox whose PATH starts with our helper, with the config file mapping the registry. */
  async function sandbox(target: Emulator = emulator): Promise<ToolSandbox & { home: string; argvLog: string }> {
    const home = await makeHome();
    const { dir, argvLog } = await helperOnPath(home);
    await writeConfig(home, { registries: { [registry.host]: { region: 'us-east-1', accountId: '123456789012' } } });
    const env = isolatedEnv(home, target, { PATH: `${dir}:${process.env['PATH'] ?? ''}` });
    const storage = join(home, 'storage');
    await mkdir(storage, { recursive: true });
    return { env, storage, home, argvLog };
  }

  beforeAll(async () => {
    emulator = await startTestEmulator({ password: PASSWORD });
    wrong = await startTestEmulator({ password: 'not-the-registry-password-99' });
    base = await makeHome();
    registry = await startRegistry({ dir: join(base, 'registry'), password: PASSWORD });
    reference = `${registry.host}/team/app:v1`;
    // Push an image with an authfile written by `ecr-auth login --podman=FILE`.
    const box = await sandbox();
    const authFile = join(box.home, 'push-auth.json');
    const login = await ecrAuth(['login', `--podman=${authFile}`, registry.host], box.env);
    expect(login.code, login.stderr).toBe(0);
    const layout = await writeOciLayout(join(base, 'layout'));
    const push = await skopeoPush(layout.dir, reference, authFile, box);
    expect(push.code, push.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
    await emulator?.stop();
    await wrong?.stop();
    await cleanupHomes();
  });
  afterEach(async () => {
    await killAll();
  });

  it('skopeo with credHelpers {host: "ecr-auth"} in its authfile reads the image; a wrong password fails', async () => {
    const box = await sandbox();
    const authFile = join(box.home, 'auth.json');
    await writeFile(authFile, JSON.stringify({ credHelpers: { [registry.host]: 'ecr-auth' } }));
    const ok = await skopeoInspect(reference, authFile, box);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ schemaVersion: 2 });
    // The helper ran, and no secret was on its command line.
    const argv = await readFile(box.argvLog, 'utf8');
    expect(argv.trim().split('\n')).toContain('get');
    expect(argv).not.toContain(PASSWORD);
    // Negative control: the same set-up with an emulator handing out another password.
    const bad = await sandbox(wrong);
    const badAuth = join(bad.home, 'auth.json');
    await writeFile(badAuth, JSON.stringify({ credHelpers: { [registry.host]: 'ecr-auth' } }));
    const denied = await skopeoInspect(reference, badAuth, bad);
    expect(denied.code).not.toBe(0);
    // And with no helper configured, no credentials at all.
    const none = join(bad.home, 'none.json');
    await writeFile(none, '{}');
    expect((await skopeoInspect(reference, none, bad)).code).not.toBe(0);
    recordOutput(ok.stderr + denied.stderr);
  });

  it('podman and buildah pull with credHelpers {host: "ecr-auth"} in their authfile', async () => {
    for (const tool of ['podman', 'buildah'] as const) {
      const box = await sandbox();
      const authFile = join(box.home, 'auth.json');
      await writeFile(authFile, JSON.stringify({ credHelpers: { [registry.host]: 'ecr-auth' } }));
      const pulled = await pull(tool, reference, authFile, box);
      expect(pulled.code, `${tool}: ${pulled.stderr}`).toBe(0);
      expect(await readFile(box.argvLog, 'utf8')).toContain('get');
      // Negative control: the wrong password.
      const bad = await sandbox(wrong);
      const badAuth = join(bad.home, 'auth.json');
      await writeFile(badAuth, JSON.stringify({ credHelpers: { [registry.host]: 'ecr-auth' } }));
      expect((await pull(tool, reference, badAuth, bad)).code, tool).not.toBe(0);
    }
  }, 240_000);

  it('docker manifest inspect with credHelpers in config.json; a wrong password fails', async () => {
    const box = await sandbox();
    const dockerDir = join(box.home, 'docker');
    await mkdir(dockerDir, { recursive: true });
    await writeFile(join(dockerDir, 'config.json'), JSON.stringify({ credHelpers: { [registry.host]: 'ecr-auth' } }));
    const ok = await dockerManifestInspect(reference, dockerDir, box);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('schemaVersion');
    const bad = await sandbox(wrong);
    const badDir = join(bad.home, 'docker');
    await mkdir(badDir, { recursive: true });
    await writeFile(join(badDir, 'config.json'), JSON.stringify({ credHelpers: { [registry.host]: 'ecr-auth' } }));
    const denied = await dockerManifestInspect(reference, badDir, bad);
    expect(denied.code).not.toBe(0);
    recordOutput(ok.stderr + denied.stderr);
  });

  it('ecr-auth login --docker=PATH: docker reads the entry it wrote', async () => {
    const box = await sandbox();
    const dockerDir = join(box.home, 'docker');
    const login = await ecrAuth(['login', `--docker=${join(dockerDir, 'config.json')}`, registry.host], box.env);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain(registry.host);
    expect(login.stdout + login.stderr).not.toContain(PASSWORD);
    expect((await dockerManifestInspect(reference, dockerDir, box)).code).toBe(0);
    const logout = await ecrAuth(['logout', `--docker=${join(dockerDir, 'config.json')}`, registry.host], box.env);
    expect(logout.code, logout.stderr).toBe(0);
    expect((await dockerManifestInspect(reference, dockerDir, box)).code).not.toBe(0);
  });

  it('ecr-auth login --podman=FILE: podman pulls with it; after logout it cannot', async () => {
    const box = await sandbox();
    const authFile = join(box.home, 'podman-auth.json');
    const login = await ecrAuth(['login', `--podman=${authFile}`, registry.host, '--json'], box.env);
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ event: 'login', files: [{ tool: 'podman', path: authFile }] });
    expect(login.stdout).not.toContain(PASSWORD);
    const pulled = await pull('podman', reference, authFile, box);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect((await ecrAuth(['logout', `--podman=${authFile}`, registry.host], box.env)).code).toBe(0);
    const after = await pull('podman', `${registry.host}/team/app:v1`, authFile, { ...box, storage: join(box.storage, 'second') });
    expect(after.code).not.toBe(0);
  }, 120_000);
});
