// The provider's start-up path in-process: which role a request asks for and which cache it reads, what is
// answered from the cache and what goes to the slow path, and the bounded stdin read. provider.test.ts shows
// the same through the built executable, which mutation testing cannot see into.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheScope, recordFailure, writeCachedToken, type CacheScope } from '../../cli/dist/token-cache.js';
import { CredentialProviderError } from '../src/errors.ts';
import { runFast, scopeFor } from '../src/fast-path.ts';
import { placeRegistry } from '../../cli/dist/registry-rule.js';
import { MAX_REQUEST_BYTES, type CredentialProviderRequest } from '../src/request.ts';
import { ROLE_ANNOTATION, ROLE_SESSION_NAME, serviceAccountEnv, serviceAccountRole } from '../src/service-account.ts';
import { readRequestText } from '../src/stdin.ts';
import { request, V1 } from './support.ts';

const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const HOUR = 3_600_000;
const ROLE = 'arn:aws:iam::123456789012:role/pull';
const jwt = (claims: unknown) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
const TOKEN = jwt({ sub: 'system:serviceaccount:ns:app' });
// The annotation as EKS writes it (not the constant: a test against the constant cannot see it change).
const ANNOTATION = 'eks.amazonaws.com/ecr-role-arn';
const req = (extra: Partial<CredentialProviderRequest> = {}): CredentialProviderRequest => ({ apiVersion: V1, kind: 'CredentialProviderRequest', image: `${HOST}/app`, ...extra });

function refusal(run: () => unknown): CredentialProviderError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialProviderError);
    return error as CredentialProviderError;
  }
  throw new Error('not refused');
}

describe('serviceAccountRole', () => {
  it('reads the role from the annotation EKS writes', () => {
    expect(ROLE_ANNOTATION).toBe(ANNOTATION);
    expect(serviceAccountRole(req({ serviceAccountToken: TOKEN, serviceAccountAnnotations: { [ANNOTATION]: ROLE } }), {}, undefined)?.from).toBe('annotation');
  });

  it('no token: no role, whatever names one', () => {
    expect(serviceAccountRole(req({ serviceAccountAnnotations: { [ROLE_ANNOTATION]: ROLE } }), { AWS_ECR_ROLE_ARN: ROLE }, ROLE)).toBeUndefined();
  });

  it('the annotation, else AWS_ECR_ROLE_ARN, else the configuration\'s; none: no role', () => {
    const other = 'arn:aws:iam::123456789012:role/other';
    const config = 'arn:aws-us-gov:iam::123456789012:role/config';
    const withToken = (annotations?: Record<string, string>) => req({ serviceAccountToken: TOKEN, ...(annotations && { serviceAccountAnnotations: annotations }) });
    expect(serviceAccountRole(withToken({ [ROLE_ANNOTATION]: ROLE }), { AWS_ECR_ROLE_ARN: other }, config)).toEqual({ roleArn: ROLE, from: 'annotation', subject: 'system:serviceaccount:ns:app' });
    expect(serviceAccountRole(withToken({ [ROLE_ANNOTATION]: '' }), { AWS_ECR_ROLE_ARN: other }, config)).toMatchObject({ roleArn: other, from: 'AWS_ECR_ROLE_ARN' });
    expect(serviceAccountRole(withToken({ other: ROLE }), { AWS_ECR_ROLE_ARN: '' }, config)).toMatchObject({ roleArn: config, from: 'config' });
    expect(serviceAccountRole(withToken(), {}, undefined)).toBeUndefined();
  });

  it('keeps the token out of JSON and inspection', () => {
    const role = serviceAccountRole(req({ serviceAccountToken: TOKEN }), { AWS_ECR_ROLE_ARN: ROLE }, undefined);
    expect(role?.token).toBe(TOKEN);
    expect(JSON.stringify(role)).not.toContain(TOKEN);
    expect(Object.keys(role ?? {})).toEqual(['roleArn', 'from', 'subject']);
    expect(ROLE_SESSION_NAME).toBe('ecr-credential-provider');
  });

  it('refuses a role that is not an IAM role ARN, naming where it came from', () => {
    const bad = 'arn:aws:iam::12345:role/x';
    const code = (e: CredentialProviderError) => e.code;
    const withToken = req({ serviceAccountToken: TOKEN, serviceAccountAnnotations: { [ROLE_ANNOTATION]: bad } });
    const annotated = refusal(() => serviceAccountRole(withToken, {}, undefined));
    expect([code(annotated), annotated.message]).toEqual(['ECR_AUTH_K8S_SERVICE_ACCOUNT', `ecr-auth-credential-provider: annotation ${ROLE_ANNOTATION}: "${bad}" is not an IAM role ARN`]);
    expect(refusal(() => serviceAccountRole(req({ serviceAccountToken: TOKEN }), { AWS_ECR_ROLE_ARN: bad }, undefined)).message).toBe(`ecr-auth-credential-provider: AWS_ECR_ROLE_ARN: "${bad}" is not an IAM role ARN`);
    const long = `x${'y'.repeat(300)}`;
    expect(refusal(() => serviceAccountRole(req({ serviceAccountToken: TOKEN }), {}, long)).message).toBe(`ecr-auth-credential-provider: config: "${long.slice(0, 200)}" is not an IAM role ARN`);
    expect(refusal(() => serviceAccountRole(req({ serviceAccountToken: TOKEN }), {}, `${ROLE} `)).code).toBe('ECR_AUTH_K8S_SERVICE_ACCOUNT');
    expect(refusal(() => serviceAccountRole(req({ serviceAccountToken: TOKEN }), {}, `x${ROLE}`)).code).toBe('ECR_AUTH_K8S_SERVICE_ACCOUNT');
  });

  it('needs a JWT with a subject', () => {
    for (const token of ['opaque', 'h..s', 'h.%%%.s', jwt({}), jwt({ sub: '' }), jwt({ sub: 5 }), `h.${Buffer.from('not json').toString('base64url')}.s`]) {
      const error = refusal(() => serviceAccountRole(req({ serviceAccountToken: token }), { AWS_ECR_ROLE_ARN: ROLE }, undefined));
      expect([error.code, error.message], token).toEqual(['ECR_AUTH_K8S_SERVICE_ACCOUNT', 'ecr-auth-credential-provider: the service account token is not a JWT with a subject']);
    }
  });
});

describe('serviceAccountEnv', () => {
  const role = { roleArn: ROLE, subject: 'system:serviceaccount:ns:app' };
  it('a namespace per role and service account, the profile dropped, placeholder keys of the same kind', () => {
    const env = { AWS_PROFILE: 'node', AWS_SESSION_TOKEN: 'node-session', AWS_ACCESS_KEY_ID: 'AKIANODE', OTHER: 'kept' };
    const out = serviceAccountEnv(env, role);
    expect(out).toEqual({
      OTHER: 'kept',
      ECR_AUTH_CACHE_NAMESPACE: `k8s-sa:${ROLE}:system:serviceaccount:ns:app`,
      AWS_ACCESS_KEY_ID: 'ASIA-web-identity',
      AWS_SECRET_ACCESS_KEY: 'web-identity',
      AWS_SESSION_TOKEN: 'web-identity',
    });
    expect(env.AWS_PROFILE).toBe('node');
    expect(serviceAccountEnv({ ECR_AUTH_CACHE_NAMESPACE: 'job' }, role)['ECR_AUTH_CACHE_NAMESPACE']).toBe(`job|k8s-sa:${ROLE}:system:serviceaccount:ns:app`);
    expect(serviceAccountEnv({ ECR_AUTH_CACHE_NAMESPACE: '' }, role)['ECR_AUTH_CACHE_NAMESPACE']).toBe(`k8s-sa:${ROLE}:system:serviceaccount:ns:app`);
  });

  it('the assumed role\'s keys once known; no session token: none at all', () => {
    expect(serviceAccountEnv({ AWS_SESSION_TOKEN: 'node' }, role, { accessKeyId: 'ASIAROLE', secretAccessKey: 'secret', sessionToken: 'session' })).toMatchObject({
      AWS_ACCESS_KEY_ID: 'ASIAROLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'session',
    });
    const out = serviceAccountEnv({ AWS_SESSION_TOKEN: 'node' }, role, { accessKeyId: 'AKIAROLE', secretAccessKey: 'secret' });
    expect('AWS_SESSION_TOKEN' in out).toBe(false);
    expect(out['AWS_ACCESS_KEY_ID']).toBe('AKIAROLE');
  });
});

describe('runFast', () => {
  let root: string;
  let env: Record<string, string>;
  let dir: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ecr-auth-k8s-fast-'));
    dir = join(root, 'cache');
    env = { HOME: root, ECR_AUTH_CONFIG: join(root, 'config.json'), ECR_AUTH_CACHE_DIR: dir, AWS_CONFIG_FILE: join(root, 'aws-config') };
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const NOW = Date.now();
  const plant = (remainingMs: number, scope: CacheScope = cacheScope({ kind: 'private', region: 'us-east-1' }, env), password = 'k8s-password') =>
    writeCachedToken(dir, scope, { username: 'AWS', password, registry: HOST, region: 'us-east-1', accountId: '123456789012', kind: 'private', fetchedAt: NOW + remainingMs - 12 * HOUR, expiresAt: NOW + remainingMs, clockOffsetMs: 0 });
  const response = (registry: string, cacheDuration: string, password = 'k8s-password') => ({
    response: { apiVersion: V1, kind: 'CredentialProviderResponse', cacheKeyType: 'Registry', cacheDuration, auth: { [registry]: { username: 'AWS', password } } },
  });
  const slow = (image: string, registry: string, extra: object = {}) => ({ slow: { request: { apiVersion: V1, kind: 'CredentialProviderRequest', image }, registry, role: undefined, useCache: true, ...extra } });

  it('answers a fresh token from the cache, keyed by the registry as the image names it', () => {
    plant(6 * HOUR);
    expect(runFast(request(`${HOST}/app:v1`), env, NOW)).toEqual(response(HOST, '5h30m0s'));
    expect(runFast(request(`${HOST}:443/app`), env, NOW)).toEqual(response(`${HOST}:443`, '5h30m0s'));
  });

  it('a miss, an expired token, a switched-off cache and a custom name without a region go to the slow path', async () => {
    expect(runFast(request(`${HOST}/app`), env, NOW)).toEqual(slow(`${HOST}/app`, HOST));
    plant(5 * 60_000);
    expect(runFast(request(`${HOST}/app`), env, NOW)).toEqual(slow(`${HOST}/app`, HOST));
    plant(6 * HOUR);
    expect(runFast(request(`${HOST}/app`), { ...env, ECR_AUTH_NO_CACHE: '1' }, NOW)).toEqual(slow(`${HOST}/app`, HOST, { useCache: false }));
    await writeFile(env['ECR_AUTH_CONFIG'] ?? '', JSON.stringify({ registries: { 'mirror.example.com': { accountId: '123456789012' } } }));
    expect(runFast(request('mirror.example.com/app'), env, NOW)).toEqual(slow('mirror.example.com/app', 'mirror.example.com'));
  });

  it('inside the refresh window: the slow path renews, unless a failure is cooling down (then the valid token, until the safety margin)', () => {
    plant(20 * 60_000);
    expect(runFast(request(`${HOST}/app`), env, NOW)).toEqual(slow(`${HOST}/app`, HOST));
    recordFailure(dir, cacheScope({ kind: 'private', region: 'us-east-1' }, env), 'ecr-auth: throttled');
    expect(runFast(request(`${HOST}/app`), env, NOW)).toEqual(response(HOST, '15m0s'));
  });

  it('a service account\'s request reads its own scope, never the node\'s', () => {
    plant(6 * HOUR);
    const saRequest = request(`${HOST}/app`, { serviceAccountToken: TOKEN, serviceAccountAnnotations: { [ROLE_ANNOTATION]: ROLE } });
    const outcome = runFast(saRequest, env, NOW);
    expect(outcome).toMatchObject({ slow: { registry: HOST, useCache: true, role: { roleArn: ROLE, from: 'annotation', subject: 'system:serviceaccount:ns:app' } } });
    const role = { roleArn: ROLE, subject: 'system:serviceaccount:ns:app' };
    plant(6 * HOUR, cacheScope({ kind: 'private', region: 'us-east-1' }, serviceAccountEnv(env, role)), 'sa-password');
    expect(runFast(saRequest, env, NOW)).toEqual(response(HOST, '5h30m0s', 'sa-password'));
    const placed = placeRegistry(HOST, { registries: { [HOST]: { profile: 'p', roleArn: 'arn:aws:iam::123456789012:role/config' } } });
    expect(scopeFor(placed, undefined, env)).toEqual(cacheScope({ kind: 'private', region: 'us-east-1', profile: 'p', roleArn: 'arn:aws:iam::123456789012:role/config' }, env));
    // The service account's scope ignores the configuration's profile and role.
    expect(scopeFor(placed, { ...role, from: 'annotation', token: TOKEN }, env)).toEqual(cacheScope({ kind: 'private', region: 'us-east-1' }, serviceAccountEnv(env, role)));
  });

  it('refuses names that are not ECR\'s, images that hide their host, and a broken configuration file', async () => {
    const notOurs = refusal(() => runFast(request('ghcr.io/app'), env, NOW));
    expect(notOurs.code).toBe('ECR_AUTH_K8S_NOT_OURS');
    expect(notOurs.message).toMatch(/^ecr-auth-credential-provider: "ghcr\.io" is not an ECR registry host/);
    const hidden = refusal(() => runFast(request(`${HOST}@sha256:${'a'.repeat(64)}`), env, NOW));
    expect(hidden.code).toBe('ECR_AUTH_K8S_NOT_OURS');
    await writeFile(env['ECR_AUTH_CONFIG'] ?? '', '{"region": 5}');
    const config = refusal(() => runFast(request(`${HOST}/app`), env, NOW));
    expect([config.code, config.message]).toEqual(['ECR_AUTH_K8S_BAD_REQUEST', `ecr-auth-credential-provider: ${env['ECR_AUTH_CONFIG']}.region must be a non-empty string`]);
    await rm(env['ECR_AUTH_CONFIG'] ?? '');
    await mkdir(env['ECR_AUTH_CONFIG'] ?? '');
    expect(refusal(() => runFast(request(`${HOST}/app`), env, NOW)).code).toBe('ECR_AUTH_K8S_BAD_REQUEST');
  });

  it('a custom name with a port that starts with 443 keeps it in the auth key', async () => {
    await writeFile(env['ECR_AUTH_CONFIG'] ?? '', JSON.stringify({ registries: { 'mirror.example.com:4430': { region: 'us-east-1' } } }));
    plant(6 * HOUR);
    expect(runFast(request('mirror.example.com:4430/app'), env, NOW)).toEqual(response('mirror.example.com:4430', '5h30m0s'));
    // Its scope needs a region: none, no scope.
    expect(scopeFor(placeRegistry('mirror.example.com', { registries: { 'mirror.example.com': { accountId: '123456789012' } } }), undefined, env)).toBeUndefined();
  });

  it('the auth key names the placed host exactly', () => {
    plant(6 * HOUR);
    const upper = `https://${HOST.toUpperCase()}/app`;
    let outcome: unknown;
    try {
      outcome = runFast(request(upper), env, NOW);
    } catch (error) {
      outcome = error;
    }
    // Either refused as not ours, or answered under the host as the image names it: never another key.
    if (outcome instanceof CredentialProviderError) expect(outcome.code).toBe('ECR_AUTH_K8S_NOT_OURS');
    else expect(Object.keys((outcome as { response: { auth: object } }).response.auth)).toEqual([HOST.toUpperCase()]);
  });
});

describe('readRequestText', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ecr-auth-k8s-stdin-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads everything up to the end, up to 256 KiB', async () => {
    const body = request(`${HOST}/app`);
    await writeFile(join(root, 'req'), body);
    const fd = openSync(join(root, 'req'), 'r');
    try {
      expect(readRequestText(Date.now() + 5_000, fd)).toBe(body);
    } finally {
      closeSync(fd);
    }
    await writeFile(join(root, 'full'), 'x'.repeat(MAX_REQUEST_BYTES));
    const full = openSync(join(root, 'full'), 'r');
    try {
      expect(readRequestText(Date.now() + 5_000, full)).toHaveLength(MAX_REQUEST_BYTES);
    } finally {
      closeSync(full);
    }
    await writeFile(join(root, 'big'), 'x'.repeat(MAX_REQUEST_BYTES + 1));
    const big = openSync(join(root, 'big'), 'r');
    try {
      const error = refusal(() => readRequestText(Date.now() + 5_000, big));
      expect([error.code, error.message]).toEqual(['ECR_AUTH_K8S_BAD_REQUEST', `ecr-auth-credential-provider: the request is larger than ${MAX_REQUEST_BYTES} bytes`]);
    } finally {
      closeSync(big);
    }
  });

  it('gives up on a writer that neither writes nor closes, at the deadline; reads what a closed one wrote', () => {
    const fifo = join(root, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY);
    try {
      writeSync(writer, '{"partial":');
      const started = Date.now();
      const error = refusal(() => readRequestText(started + 200, reader));
      expect([error.code, error.message]).toEqual(['ECR_AUTH_K8S_DEADLINE', 'ecr-auth-credential-provider: stdin was not closed in time (expected one CredentialProviderRequest)']);
      expect(Date.now() - started).toBeGreaterThanOrEqual(200);
      expect(Date.now() - started).toBeLessThan(2_000);
      writeSync(writer, 'true}');
      closeSync(writer);
      expect(readRequestText(Date.now() + 5_000, reader)).toBe('true}');
    } finally {
      closeSync(reader);
      try {
        closeSync(writer);
      } catch {
        // closed above
      }
    }
  });

  it('a descriptor that cannot be read is a bad request naming the error', () => {
    const fd = openSync(root, 'r');
    try {
      const error = refusal(() => readRequestText(Date.now() + 5_000, fd));
      expect([error.code, error.message]).toEqual(['ECR_AUTH_K8S_BAD_REQUEST', 'ecr-auth-credential-provider: cannot read the request from stdin (EISDIR)']);
    } finally {
      closeSync(fd);
    }
  });
});
