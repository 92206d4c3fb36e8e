// Service-account token mode end to end: the built ecr-auth-credential-provider gets a kubelet request with a
// service account token and the role annotation, assumes the role through the SDK's web identity provider
// against the emulator's STS (AWS_ENDPOINT_URL_STS), and fetches the token with the role's temporary
// credentials; the emulator records which identity signed each call.
import { readdir } from 'node:fs/promises';
import { webIdentityToken, type Emulator, type EmulatorRequestEvent } from '@ecr-auth/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { cleanupHomes, isolatedEnv, killAll, makeHome } from '../../cli/test/support.ts';
import { cacheDir } from '../../cli/src/token-cache.ts';
import { expectRefusal, provider, request } from './support.ts';

const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const ISSUER = 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const SUBJECT = 'system:serviceaccount:apps:puller';
const PULLER = 'arn:aws:iam::123456789012:role/puller';
const BUILDER = 'arn:aws:iam::123456789012:role/ci/builder';
const ANNOTATION = 'eks.amazonaws.com/ecr-role-arn';

describe('ecr-auth-credential-provider: service-account token mode against the emulator STS', () => {
  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;
  const events: EmulatorRequestEvent[] = [];
  const count = (operation: EmulatorRequestEvent['operation']) => emulator.stats().requests[operation ?? 'ecr:GetAuthorizationToken'];
  const ecrCalls = () => events.filter((e) => e.operation === 'ecr:GetAuthorizationToken');
  const kubelet = (token: string, role: string, image = `${HOST}/app:v1`) =>
    provider(request(image, { serviceAccountToken: token, serviceAccountAnnotations: { [ANNOTATION]: role } }), env);

  beforeAll(async () => {
    // The cluster's OIDC issuer is the one the account trusts; the node's own credentials are the default pair.
    emulator = await startTestEmulator({ webIdentity: { issuers: [ISSUER] }, onRequest: (e) => events.push(e) });
  });
  afterAll(async () => {
    await emulator.stop();
  });
  beforeEach(async () => {
    emulator.reset();
    events.length = 0;
    env = { ...isolatedEnv(await makeHome(), emulator), AWS_ENDPOINT_URL_STS: emulator.url, ECR_AUTH_PROVIDER_TIMEOUT_MS: '15000' };
  });
  afterEach(async () => {
    await killAll();
    await cleanupHomes();
  });

  it("assumes the annotation's role with the token, and ECR sees the call signed by that role's temporary credentials; cached per role", async () => {
    const token = webIdentityToken({ iss: ISSUER, sub: SUBJECT });
    const first = await kubelet(token, PULLER);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    const password = JSON.parse(first.stdout).auth[HOST].password as string;
    expect(emulator.issuedPasswords().at(-1)).toBe(password);
    const session = emulator.issuedSessions().at(-1);
    expect(session).toMatchObject({ operation: 'sts:AssumeRoleWithWebIdentity', roleArn: PULLER, sessionName: 'ecr-credential-provider', requestedBy: SUBJECT });
    expect(ecrCalls().map((e) => [e.status, e.accessKeyId, e.callerArn, e.roleArn])).toEqual([
      [200, session?.accessKeyId, 'arn:aws:sts::123456789012:assumed-role/puller/ecr-credential-provider', PULLER],
    ]);

    // The same role again (another image of the registry): the cached token, no STS or ECR call.
    const again = await kubelet(token, PULLER, `${HOST}/other:v2`);
    expect(JSON.parse(again.stdout).auth[HOST].password).toBe(password);
    expect([count('sts:AssumeRoleWithWebIdentity'), count('ecr:GetAuthorizationToken')]).toEqual([1, 1]);

    // A second role costs a second STS call and a second ECR call, signed by its own session.
    const builder = await kubelet(token, BUILDER);
    expect(builder.code, builder.stderr).toBe(0);
    const builderPassword = JSON.parse(builder.stdout).auth[HOST].password as string;
    expect(builderPassword).not.toBe(password);
    expect([count('sts:AssumeRoleWithWebIdentity'), count('ecr:GetAuthorizationToken')]).toEqual([2, 2]);
    expect(ecrCalls().at(-1)).toMatchObject({ roleArn: BUILDER, accessKeyId: emulator.issuedSessions().at(-1)?.accessKeyId, callerArn: 'arn:aws:sts::123456789012:assumed-role/builder/ecr-credential-provider' });

    // Each role keeps its own token.
    expect(JSON.parse((await kubelet(token, PULLER)).stdout).auth[HOST].password).toBe(password);
    expect(JSON.parse((await kubelet(token, BUILDER)).stdout).auth[HOST].password).toBe(builderPassword);
    expect([count('sts:AssumeRoleWithWebIdentity'), count('ecr:GetAuthorizationToken')]).toEqual([2, 2]);
  });

  it('negative control: a token STS refuses (untrusted issuer, expired): exit 1, one clear line, no ECR call, nothing cached', async () => {
    const sessionsBefore = emulator.issuedSessions().length;
    const untrusted = webIdentityToken({ iss: 'https://attacker.example', sub: SUBJECT });
    const refused = await kubelet(untrusted, PULLER);
    expectRefusal(refused, /could not assume role arn:aws:iam::123456789012:role\/puller \(from the annotation\) with the service account token: No OpenIDConnect provider found in your account for https:\/\/attacker\.example$/m);
    expect(refused.stderr).not.toContain(untrusted.split('.')[2]);
    const expired = webIdentityToken({ iss: ISSUER, sub: SUBJECT, exp: Math.floor(Date.now() / 1000) - 60 });
    expectRefusal(await kubelet(expired, PULLER), /with the service account token: Token expired: /);
    expect(count('sts:AssumeRoleWithWebIdentity')).toBe(2);
    expect(count('ecr:GetAuthorizationToken')).toBe(0);
    expect(emulator.issuedSessions()).toHaveLength(sessionsBefore);
    const cached = await readdir(cacheDir(env)).catch(() => []);
    expect(cached.filter((name) => name.endsWith('.json'))).toEqual([]);

    // Control: the same request with a token of the trusted issuer is answered (one STS and one ECR call).
    const accepted = await kubelet(webIdentityToken({ iss: ISSUER, sub: SUBJECT }), PULLER);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect([count('sts:AssumeRoleWithWebIdentity'), count('ecr:GetAuthorizationToken')]).toEqual([3, 1]);
  });

  it('AWS_ECR_ROLE_ARN names the role when the service account has no annotation; the annotation wins over it', async () => {
    const token = webIdentityToken({ iss: ISSUER, sub: SUBJECT });
    env = { ...env, AWS_ECR_ROLE_ARN: BUILDER };
    const fromEnv = await provider(request(`${HOST}/app`, { serviceAccountToken: token, serviceAccountAnnotations: {} }), env);
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(ecrCalls().map((e) => e.roleArn)).toEqual([BUILDER]);
    const annotated = await kubelet(token, PULLER);
    expect(annotated.code, annotated.stderr).toBe(0);
    expect(ecrCalls().map((e) => e.roleArn)).toEqual([BUILDER, PULLER]);
    expect(emulator.issuedSessions().slice(-2).map((session) => session.roleArn)).toEqual([BUILDER, PULLER]);
  });

  it('STS throttled once: the SDK retries, the request is answered', async () => {
    emulator.injectFault({ kind: 'throttle', operation: 'sts:AssumeRoleWithWebIdentity' });
    const result = await kubelet(webIdentityToken({ iss: ISSUER, sub: SUBJECT }), PULLER);
    expect(result.code, result.stderr).toBe(0);
    expect(count('sts:AssumeRoleWithWebIdentity')).toBe(2);
    expect(events.filter((e) => e.operation === 'sts:AssumeRoleWithWebIdentity').map((e) => e.errorType)).toEqual(['Throttling', undefined]);
  });
});
