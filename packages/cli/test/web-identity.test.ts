// The GitHub Actions OIDC shape through `ecr-auth get-login-password` (the built CLI): no static keys, a web
// identity token in AWS_WEB_IDENTITY_TOKEN_FILE and the role in AWS_ROLE_ARN, as aws-actions/configure-aws-credentials
// leaves them; the SDK's default chain assumes the role with AssumeRoleWithWebIdentity at AWS_ENDPOINT_URL_STS
// (the emulator's STS), and ECR sees the call signed by the role's session.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { webIdentityToken, type Emulator, type EmulatorRequestEvent } from '@ecr-auth/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { ECR_HOST, cleanupHomes, ecrAuth, isolatedEnv, killAll, makeHome } from './support.ts';

const GITHUB = 'https://token.actions.githubusercontent.com';
const SUBJECT = 'repo:acme/app:ref:refs/heads/main';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/github-actions-ecr';

describe('GitHub Actions OIDC: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, no static keys', () => {
  let emulator: Emulator;
  let home: string;
  const events: EmulatorRequestEvent[] = [];
  const ecrCalls = () => events.filter((e) => e.operation === 'ecr:GetAuthorizationToken');
  beforeAll(async () => {
    emulator = await startTestEmulator({ webIdentity: { issuers: [GITHUB] }, roles: [ROLE_ARN], onRequest: (e) => events.push(e) });
  });
  afterAll(async () => {
    await emulator.stop();
  });
  beforeEach(async () => {
    emulator.reset();
    events.length = 0;
    home = await makeHome();
  });
  afterEach(async () => {
    await killAll();
    await cleanupHomes();
  });

  /** The environment a workflow step sees after configure-aws-credentials in OIDC mode, with `token` in the file. */
  async function actionsEnv(token: string, extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
    const tokenFile = join(home, 'web-identity-token');
    await writeFile(tokenFile, token, { mode: 0o600 });
    const env = {
      ...isolatedEnv(home),
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_ECR: emulator.url,
      AWS_ENDPOINT_URL_STS: emulator.url,
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_ARN: ROLE_ARN,
      ...extra,
    };
    expect(env).not.toHaveProperty('AWS_ACCESS_KEY_ID');
    expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
    return env;
  }

  it('get-login-password assumes the role with the token and fetches the token as that role (AWS_ROLE_SESSION_NAME kept)', async () => {
    const token = webIdentityToken({ iss: GITHUB, sub: SUBJECT, repository: 'acme/app' });
    const result = await ecrAuth(['get-login-password', ECR_HOST], await actionsEnv(token, { AWS_ROLE_SESSION_NAME: 'gha-run-42' }));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${emulator.issuedPasswords().at(-1)}\n`);
    const session = emulator.issuedSessions().at(-1);
    expect(session).toMatchObject({ operation: 'sts:AssumeRoleWithWebIdentity', roleArn: ROLE_ARN, sessionName: 'gha-run-42', requestedBy: SUBJECT });
    expect(ecrCalls().map((e) => [e.status, e.accessKeyId, e.callerArn])).toEqual([
      [200, session?.accessKeyId, 'arn:aws:sts::123456789012:assumed-role/github-actions-ecr/gha-run-42'],
    ]);
  });

  it('without AWS_ROLE_SESSION_NAME the SDK names the session itself', async () => {
    const result = await ecrAuth(['get-login-password', ECR_HOST], await actionsEnv(webIdentityToken({ iss: GITHUB, sub: SUBJECT })));
    expect(result.code, result.stderr).toBe(0);
    expect(emulator.issuedSessions().at(-1)?.sessionName).toMatch(/^aws-sdk-js-session-\d+$/);
    expect(ecrCalls()).toHaveLength(1);
  });

  it.each([
    ['not a JWT', () => 'not-a-jwt-token-from-a-broken-step', /\(InvalidIdentityTokenException: The ID Token provided is not a valid JWT: it is not three base64url parts\.\)/],
    ['from another issuer', () => webIdentityToken({ iss: 'https://gitlab.example.com', sub: SUBJECT }), /\(InvalidIdentityTokenException: No OpenIDConnect provider found in your account for https:\/\/gitlab\.example\.com\)/],
  ])('negative control: a token %s fails with a clear error and exit code, printing no secret and asking ECR nothing', async (_, makeToken, message) => {
    const token = makeToken();
    const result = await ecrAuth(['get-login-password', ECR_HOST], await actionsEnv(token, { ECR_AUTH_TIMEOUT_MS: '10000' }));
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^ecr-auth: STS refused the web identity token \(/);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/Check the token \(AWS_WEB_IDENTITY_TOKEN_FILE\), the role \(AWS_ROLE_ARN\)/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toContain(token.split('.').at(-1));
    for (const password of emulator.issuedPasswords()) expect(result.stderr).not.toContain(password.slice(8, 24));
    expect(emulator.stats().requests['sts:AssumeRoleWithWebIdentity']).toBeGreaterThanOrEqual(1);
    expect(ecrCalls()).toEqual([]);
  });
});
