// The provider's slow path in-process, against the emulator over HTTP: the token through the shared cache,
// the response built from it, and the service-account role's failures (STS unreachable, STS silent).
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '@ecr-auth/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { isolatedEnv } from '../../cli/test/support.ts';
import { CredentialProviderError } from '../src/errors.ts';
import { runSlow, type SlowRequest } from '../src/slow-path.ts';
import { goSeconds, V1BETA1 } from './support.ts';

const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const ROLE = 'arn:aws:iam::123456789012:role/pull';
const calls = (emulator: Emulator) => emulator.stats().requests['ecr:GetAuthorizationToken'] ?? 0;

let emulator: Emulator;
let silent: Server;
let silentPort: number;
const sockets = new Set<Socket>();
beforeAll(async () => {
  emulator = await startTestEmulator();
  // Accepts connections and never answers.
  silent = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  await emulator.stop();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'ecr-auth-k8s-slow-'));
  env = isolatedEnv(home, emulator);
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** The SDK reads AWS_ENDPOINT_URL_STS from process.env (the executable's env is process.env). */
async function withSts<T>(url: string, run: () => Promise<T>): Promise<T> {
  const saved = process.env['AWS_ENDPOINT_URL_STS'];
  process.env['AWS_ENDPOINT_URL_STS'] = url;
  try {
    return await run();
  } finally {
    if (saved === undefined) delete process.env['AWS_ENDPOINT_URL_STS'];
    else process.env['AWS_ENDPOINT_URL_STS'] = saved;
  }
}

const lookup = (extra: Partial<SlowRequest> = {}): SlowRequest => ({ request: { apiVersion: V1BETA1, image: `${HOST}/app:v1` }, registry: `${HOST}:443`, role: undefined, useCache: true, ...extra });

describe('runSlow', () => {
  it('fetches the token once through the shared cache and answers it under the image\'s registry key', async () => {
    const before = calls(emulator);
    const first = await runSlow(lookup(), env, 10_000);
    expect(first).toMatchObject({ apiVersion: V1BETA1, kind: 'CredentialProviderResponse', cacheKeyType: 'Registry' });
    expect(Object.keys(first.auth)).toEqual([`${HOST}:443`]);
    const credentials = first.auth[`${HOST}:443`];
    expect(credentials?.username).toBe('AWS');
    expect(emulator.issuedPasswords()).toContain(credentials?.password);
    // A 12 h token: kept by the kubelet until its renewal is due (11 h 30 m), give or take the test's own time.
    expect(goSeconds(first.cacheDuration)).toBeGreaterThan(41_400 - 60);
    expect(goSeconds(first.cacheDuration)).toBeLessThanOrEqual(41_400);
    expect(calls(emulator) - before).toBe(1);
    // From the cache the second time; without the cache, fetched again.
    expect((await runSlow(lookup(), env, 10_000)).auth[`${HOST}:443`]?.password).toBe(credentials?.password);
    expect(calls(emulator) - before).toBe(1);
    await runSlow(lookup({ useCache: false }), env, 10_000);
    expect(calls(emulator) - before).toBe(2);
  });

  it('respects a failure cooling down (no call), and gives a slow ECR the whole request time', async () => {
    const { cacheScope, recordFailure } = await import('../../cli/dist/token-cache.js');
    const before = calls(emulator);
    recordFailure(join(home, '.cache', 'ecr-auth'), cacheScope({ kind: 'private', region: 'us-east-1' }, env), 'ecr-auth: throttled');
    await expect(runSlow(lookup(), env, 10_000)).rejects.toThrow(/not asking ECR again before/);
    expect(calls(emulator) - before).toBe(0);
    await rm(join(home, '.cache'), { recursive: true });
    emulator.injectFault({ kind: 'delay', ms: 1_500 });
    const answer = await runSlow(lookup(), env, 10_000);
    expect(emulator.issuedPasswords()).toContain(answer.auth[`${HOST}:443`]?.password);
  });

  it('a role that STS does not grant: one line naming the role, where it came from, and why', async () => {
    const role = { roleArn: ROLE, from: 'annotation' as const, subject: 'system:serviceaccount:ns:app', token: 'h.e30.s' };
    const before = calls(emulator);
    const error = await withSts('http://127.0.0.1:9', () => runSlow(lookup({ role }), env, 5_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialProviderError);
    expect((error as CredentialProviderError).code).toBe('ECR_AUTH_K8S_SERVICE_ACCOUNT');
    expect((error as Error).message).toMatch(new RegExp(`^ecr-auth-credential-provider: could not assume role ${ROLE.replace(/[/]/g, '\\/')} \\(from the annotation\\) with the service account token: \\S`));
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).message).not.toContain('h.e30.s');
    expect(calls(emulator) - before).toBe(0);
  });

  it('STS that never answers: given up at the request\'s deadline', async () => {
    const role = { roleArn: ROLE, from: 'AWS_ECR_ROLE_ARN' as const, subject: 'system:serviceaccount:ns:app', token: 'h.e30.s' };
    const started = Date.now();
    const error = await withSts(`http://127.0.0.1:${silentPort}`, () => runSlow(lookup({ role }), env, 1_000)).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`ecr-auth-credential-provider: could not assume role ${ROLE} (from the AWS_ECR_ROLE_ARN) with the service account token: STS did not answer within 1000 ms`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
