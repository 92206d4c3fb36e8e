// roleArn in the configuration file: the CLI assumes the role through the SDK's credential provider (STS
// AssumeRole at AWS_ENDPOINT_URL_STS, the emulator's STS, signed with the base credentials) and asks ECR with
// the role's temporary credentials; the emulator records which identity fetched each token.
import { DEFAULT_ACCOUNT_ID, type Emulator, type EmulatorRequestEvent } from '@ecr-auth/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { ECR_HOST, cleanupHomes, ecrAuth, helper, isolatedEnv, killAll, makeHome, writeConfig } from './support.ts';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/ecr-pull';
const BASE = { accessKeyId: 'AKIABASEEXAMPLE00001', secretAccessKey: 'base-secret-access-key' };
const BASE_ARN = `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:user/emulator`;

describe('roleArn: assume a role before asking ECR', () => {
  let emulator: Emulator;
  const events: EmulatorRequestEvent[] = [];
  const ecrCalls = () => events.filter((e) => e.operation === 'ecr:GetAuthorizationToken').map((e) => ({ status: e.status, caller: e.callerArn, role: e.roleArn }));
  beforeAll(async () => {
    // Trust "policies": only ROLE_ARN may be assumed.
    emulator = await startTestEmulator({ password: 'role-password-6a0e2c', credentials: [BASE], roles: [ROLE_ARN], onRequest: (e) => events.push(e) });
  });
  afterAll(async () => {
    await emulator.stop();
  });
  beforeEach(() => {
    emulator.reset();
    events.length = 0;
  });
  afterEach(async () => {
    await killAll();
    await cleanupHomes();
  });

  function env(home: string): NodeJS.ProcessEnv {
    return { ...isolatedEnv(home, emulator), AWS_ENDPOINT_URL_STS: emulator.url };
  }

  it("get-login-password and the credential helper use the role from the registry's config entry", async () => {
    const home = await makeHome();
    await writeConfig(home, { registries: { [ECR_HOST]: { roleArn: ROLE_ARN, externalId: 'ext-42' } } });
    const result = await ecrAuth(['get-login-password', ECR_HOST], env(home));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('role-password-6a0e2c\n');
    // AssumeRole signed by the base credentials, with the session name and external id of the config.
    expect(emulator.issuedSessions()).toMatchObject([{ operation: 'sts:AssumeRole', roleArn: ROLE_ARN, sessionName: 'ecr-auth', externalId: 'ext-42', requestedBy: BASE.accessKeyId }]);
    // The token was fetched by the role's session, not the base user.
    expect(ecrCalls()).toEqual([{ status: 200, caller: 'arn:aws:sts::123456789012:assumed-role/ecr-pull/ecr-auth', role: ROLE_ARN }]);
    // The helper finds the token cached under the role's scope: no new STS or ECR call.
    const answer = await helper('get', ECR_HOST, env(home));
    expect(JSON.parse(answer.stdout).Secret).toBe('role-password-6a0e2c');
    expect(emulator.stats().requests).toMatchObject({ 'sts:AssumeRole': 1, 'ecr:GetAuthorizationToken': 1 });
  });

  it('a role STS refuses: exit 3 with STS named, no ECR call (control: the allowed role works)', async () => {
    const home = await makeHome();
    const other = 'arn:aws:iam::123456789012:role/admin';
    await writeConfig(home, { registries: { [ECR_HOST]: { roleArn: other } } });
    const refused = await ecrAuth(['get-login-password', ECR_HOST], env(home));
    expect(refused.code).toBe(3);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`could not assume role ${other}: STS answered AccessDenied (User: ${BASE_ARN} is not authorized to perform: sts:AssumeRole on resource: ${other})`);
    expect(ecrCalls()).toEqual([]);
    await writeConfig(home, { registries: { [ECR_HOST]: { roleArn: ROLE_ARN } } });
    expect((await ecrAuth(['get-login-password', ECR_HOST], env(home))).code).toBe(0);
  });

  it('an unreachable STS is named as STS (exit 5), not as ECR', async () => {
    const home = await makeHome();
    await writeConfig(home, { registries: { [ECR_HOST]: { roleArn: ROLE_ARN } } });
    const unreachable = await ecrAuth(['get-login-password', ECR_HOST], { ...env(home), AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9', ECR_AUTH_TIMEOUT_MS: '3000' });
    expect(unreachable.code).toBe(5);
    expect(unreachable.stderr).toMatch(/could not assume role .*: could not reach STS at 127\.0\.0\.1:9/);
    expect(unreachable.stderr).not.toMatch(/could not reach ECR/);
    // Negative control: the same set-up with STS reachable gets the token.
    expect((await ecrAuth(['get-login-password', ECR_HOST], env(home))).code).toBe(0);
  });

  it('negative control: without roleArn the base credentials fetch the token, and STS is not asked', async () => {
    const home = await makeHome();
    const result = await ecrAuth(['get-login-password', ECR_HOST], env(home));
    expect(result.code, result.stderr).toBe(0);
    expect(ecrCalls()).toEqual([{ status: 200, caller: BASE_ARN, role: undefined }]);
    expect(emulator.stats().requests['sts:AssumeRole']).toBe(0);
  });
});
