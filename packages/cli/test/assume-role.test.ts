// roleArn in the configuration file: the CLI assumes the role (STS AssumeRole, through a local stand-in for
// STS, since the emulator has none) and asks ECR with the role's temporary credentials.
import { createServer, type Server } from 'node:http';
import type { Emulator } from '@ecr-auth/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { ECR_HOST, cleanupHomes, ecrAuth, helper, isolatedEnv, killAll, makeHome, writeConfig } from './support.ts';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/ecr-pull';
const ROLE_CREDENTIALS = { accessKeyId: 'ASIAROLEEXAMPLE00001', secretAccessKey: 'role-secret-access-key', sessionToken: 'role-session-token' };
const BASE = { AWS_ACCESS_KEY_ID: 'AKIABASEEXAMPLE00001', AWS_SECRET_ACCESS_KEY: 'base-secret-access-key' };

interface StsCall {
  action: string | null;
  roleArn: string | null;
  sessionName: string | null;
  externalId: string | null;
  signedWith: string | undefined;
}

describe('roleArn: assume a role before asking ECR', () => {
  let emulator: Emulator;
  let sts: Server;
  let stsUrl = '';
  const calls: StsCall[] = [];
  beforeAll(async () => {
    // The emulator accepts only the role's credentials: a token proves they were used.
    emulator = await startTestEmulator({ password: 'role-password-6a0e2c', credentials: [ROLE_CREDENTIALS] });
    sts = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        const form = new URLSearchParams(body);
        calls.push({
          action: form.get('Action'),
          roleArn: form.get('RoleArn'),
          sessionName: form.get('RoleSessionName'),
          externalId: form.get('ExternalId'),
          signedWith: /Credential=([A-Z0-9]+)\//.exec(String(request.headers.authorization))?.[1],
        });
        const expiration = new Date(Date.now() + 3_600_000).toISOString();
        response.writeHead(200, { 'content-type': 'text/xml' });
        response.end(
          `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>` +
            `<AccessKeyId>${ROLE_CREDENTIALS.accessKeyId}</AccessKeyId><SecretAccessKey>${ROLE_CREDENTIALS.secretAccessKey}</SecretAccessKey>` +
            `<SessionToken>${ROLE_CREDENTIALS.sessionToken}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
            `<AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:ecr-auth</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/ecr-pull/ecr-auth</Arn></AssumedRoleUser>` +
            `</AssumeRoleResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></AssumeRoleResponse>`,
        );
      });
    });
    await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));
    stsUrl = `http://127.0.0.1:${(sts.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await emulator.stop();
    sts.closeAllConnections();
    await new Promise((resolve) => sts.close(resolve));
  });
  afterEach(async () => {
    calls.length = 0;
    await killAll();
    await cleanupHomes();
  });

  function env(home: string): NodeJS.ProcessEnv {
    return { ...isolatedEnv(home, emulator), ...BASE, AWS_ENDPOINT_URL_STS: stsUrl };
  }

  it('get-login-password and the credential helper use the role from the registry\'s config entry', async () => {
    const home = await makeHome();
    await writeConfig(home, { registries: { [ECR_HOST]: { roleArn: ROLE_ARN, externalId: 'ext-42' } } });
    const result = await ecrAuth(['get-login-password', ECR_HOST], env(home));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('role-password-6a0e2c\n');
    expect(calls).toEqual([{ action: 'AssumeRole', roleArn: ROLE_ARN, sessionName: 'ecr-auth', externalId: 'ext-42', signedWith: BASE.AWS_ACCESS_KEY_ID }]);
    // The helper finds the token cached under the role's scope: no new STS or ECR call.
    const answer = await helper('get', ECR_HOST, env(home));
    expect(JSON.parse(answer.stdout).Secret).toBe('role-password-6a0e2c');
    expect(calls).toHaveLength(1);
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

  it('negative control: without roleArn the base credentials are used, and the emulator rejects them', async () => {
    const home = await makeHome();
    const result = await ecrAuth(['get-login-password', ECR_HOST], env(home));
    expect(result.code).toBe(3);
    expect(calls).toHaveLength(0);
  });
});
