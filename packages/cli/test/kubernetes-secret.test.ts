// ecr-auth kubernetes-secret: the Secret it prints holds exactly what `kubectl create secret docker-registry`
// writes for the same credentials (JSON, and YAML read back by kubectl itself). kubectl 1.32, client side only.
import { execFileSync } from 'node:child_process';
import { DEFAULT_CREDENTIALS, type Emulator } from '@ecr-auth/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { needTools } from '../../../test-support/tools.ts';
import { pullSecretText, pullSecret } from '../src/kubernetes-secret.ts';
import { ECR_HOST, cleanupHomes, ecrAuth, isolatedEnv, killAll, makeHome } from './support.ts';

const KUBECTL = '/usr/bin/kubectl';
const PASSWORD = 'k8s-secret-password-4f0c9e12';
const PUBLIC_HOST = 'public.ecr.aws';

/** kubectl's own Secret for one registry's credentials (password on argv: a test password only). */
function kubectlSecret(name: string, namespace: string, server: string, password: string): Record<string, unknown> {
  const out = execFileSync(
    KUBECTL,
    ['create', 'secret', 'docker-registry', name, '--namespace', namespace, `--docker-server=${server}`, '--docker-username=AWS', `--docker-password=${password}`, '--dry-run=client', '-o', 'json'],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as Record<string, unknown>;
}

/**
 * kubectl reads a manifest (JSON or YAML) and prints the object, as JSON, in the shape `kubectl create` prints.
 * `kubectl create --dry-run=client -f -` needs an API server for discovery even with --validate=false, so
 * this uses `kubectl label --local` (offline), then drops the label it added.
 */
function kubectlRead(manifest: string): Record<string, unknown> {
  const out = execFileSync(KUBECTL, ['label', '--local', '-f', '-', '-o', 'json', 'ecr-auth.test/read=1'], { input: manifest, encoding: 'utf8' });
  const object = JSON.parse(out) as { metadata: Record<string, unknown> };
  delete object.metadata['labels'];
  return { ...object, metadata: { ...object.metadata, creationTimestamp: null } };
}

const dockerConfig = (secret: Record<string, unknown>) => JSON.parse(Buffer.from((secret['data'] as Record<string, string>)['.dockerconfigjson'] ?? '', 'base64').toString('utf8')) as unknown;

const tools = needTools('kubectl');

describe.skipIf(tools.skip)(tools.title('ecr-auth kubernetes-secret'), () => {
  let emulator: Emulator;
  let home: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    emulator = await startTestEmulator({ password: PASSWORD, credentials: [DEFAULT_CREDENTIALS] });
  });
  afterAll(async () => {
    await emulator.stop();
  });
  beforeEach(async () => {
    emulator.reset();
    home = await makeHome();
    env = isolatedEnv(home, emulator);
  });
  afterEach(async () => {
    await killAll();
    await cleanupHomes();
  });

  it('JSON: the same Secret as kubectl create secret docker-registry, byte for byte in .dockerconfigjson', async () => {
    const result = await ecrAuth(['kubernetes-secret', ECR_HOST, '--name', 'ecr-pull', '--namespace', 'apps', '--output', 'json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const ours = JSON.parse(result.stdout) as Record<string, unknown>;
    const theirs = kubectlSecret('ecr-pull', 'apps', ECR_HOST, PASSWORD);
    expect(ours['data']).toEqual(theirs['data']);
    expect(ours['type']).toBe(theirs['type']);
    expect(ours['metadata']).toEqual({ name: 'ecr-pull', namespace: 'apps' });
    // kubectl reads ours as the same object it builds itself.
    expect(kubectlRead(result.stdout)).toEqual(theirs);
  });

  it('YAML (the default), read back by kubectl: the same object', async () => {
    const result = await ecrAuth(['kubernetes-secret', ECR_HOST, '--name', 'ecr-pull', '--namespace', 'apps'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^apiVersion: v1\nkind: Secret\n/);
    expect(kubectlRead(result.stdout)).toEqual(kubectlSecret('ecr-pull', 'apps', ECR_HOST, PASSWORD));
  });

  it('several registries in one Secret: each entry is kubectl’s for that registry; one API call per region', async () => {
    const result = await ecrAuth(['kubernetes-secret', ECR_HOST, '210987654321.dkr.ecr.us-east-1.amazonaws.com', PUBLIC_HOST, '--name', 'ecr', '--namespace', 'ci', '-o', 'yaml'], env);
    expect(result.code, result.stderr).toBe(0);
    const ours = dockerConfig(kubectlRead(result.stdout)) as { auths: Record<string, unknown> };
    for (const host of [ECR_HOST, '210987654321.dkr.ecr.us-east-1.amazonaws.com', PUBLIC_HOST]) {
      expect(ours.auths[host]).toEqual((dockerConfig(kubectlSecret('ecr', 'ci', host, PASSWORD)) as { auths: Record<string, unknown> }).auths[host]);
    }
    expect(emulator.stats().requests['ecr:GetAuthorizationToken']).toBe(1);
  });

  it('negative control: another password, or another registry, gives a Secret kubectl tells apart', async () => {
    const result = await ecrAuth(['kubernetes-secret', ECR_HOST, '--name', 'ecr-pull', '--namespace', 'apps', '-o', 'json'], env);
    const ours = kubectlRead(result.stdout);
    expect(ours).not.toEqual(kubectlSecret('ecr-pull', 'apps', ECR_HOST, `${PASSWORD}x`));
    expect(ours).not.toEqual(kubectlSecret('ecr-pull', 'apps', PUBLIC_HOST, PASSWORD));
    expect(ours).not.toEqual(kubectlSecret('ecr-pull', 'other', ECR_HOST, PASSWORD));
  });

  it('passwords with characters Go escapes in JSON: still kubectl’s bytes', () => {
    const password = 'a<b>c&d"e\\f\u2028g:h';
    const secret = pullSecret({ name: 's', namespace: 'n', credentials: [{ registry: ECR_HOST, username: 'AWS', password }] });
    expect(JSON.parse(pullSecretText(secret, 'json'))).toEqual({ ...kubectlSecret('s', 'n', ECR_HOST, password), metadata: { name: 's', namespace: 'n' } });
    expect(kubectlRead(pullSecretText(secret, 'yaml'))).toEqual(kubectlSecret('s', 'n', ECR_HOST, password));
  });

  it('usage errors: exit 2, nothing fetched', async () => {
    for (const args of [
      ['kubernetes-secret', ECR_HOST],
      ['kubernetes-secret', ECR_HOST, '--name', 'Bad_Name'],
      ['kubernetes-secret', ECR_HOST, '--name', 'ok', '--namespace', 'a.b'],
      ['kubernetes-secret', ECR_HOST, '--name', 'ok', '--output', 'xml'],
    ]) {
      const result = await ecrAuth(args, env);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(emulator.stats().requests['ecr:GetAuthorizationToken'] ?? 0).toBe(0);
  });
});
