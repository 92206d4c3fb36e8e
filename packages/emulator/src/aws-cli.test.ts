// AWS CLI v2 as an independent client of the emulator. Skipped without /usr/bin/aws; CI installs it and sets
// ECR_AUTH_REQUIRE_TOOLS=1, so a missing CLI fails there.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { needTools } from '../../../test-support/tools.ts';
import { startEmulator, webIdentityToken, type Emulator } from './index.ts';

const AWS = '/usr/bin/aws';
let home: string;
const running: Emulator[] = [];

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'ecr-auth-emulator-aws-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

function aws(args: string[], credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined ? {} : { AWS_SESSION_TOKEN: credentials.sessionToken }),
  };
  return new Promise((resolve) => {
    execFile(AWS, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

async function start(): Promise<Emulator> {
  const e = await startEmulator({ host: '127.0.0.1', password: 'cli-password-0123' });
  running.push(e);
  return e;
}

const tools = needTools('aws');

describe.skipIf(tools.skip)(tools.title('AWS CLI v2 against the emulator'), () => {
  it('is installed at /usr/bin/aws and is version 2', async () => {
    expect(existsSync(AWS)).toBe(true);
    const { code, stdout } = await aws(['--version'], { accessKeyId: 'x', secretAccessKey: 'y' });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^aws-cli\/2\./);
  });

  it.each([
    ['ecr', 'ecr:GetAuthorizationToken'],
    ['ecr-public', 'ecr-public:GetAuthorizationToken'],
  ] as const)('aws %s get-login-password prints the password; a wrong secret fails', async (service, operation) => {
    const e = await start();
    const credential = e.credentials[0];
    if (credential === undefined) throw new Error('no credentials');
    const args = [service, 'get-login-password', '--endpoint-url', e.url, '--region', 'us-east-1'];
    const good = await aws(args, credential);
    expect(good.stderr).toBe('');
    expect([good.code, good.stdout]).toEqual([0, 'cli-password-0123\n']);

    const bad = await aws(args, { ...credential, secretAccessKey: 'wrong-secret' });
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/InvalidSignatureException/);
    expect(e.stats().requests[operation]).toBe(2);
  }, 60_000);

  it('aws sts assume-role and assume-role-with-web-identity: the temporary credentials work for aws ecr; a garbage token is refused', async () => {
    const e = await start();
    const credential = e.credentials[0];
    if (credential === undefined) throw new Error('no credentials');
    const role = 'arn:aws:iam::123456789012:role/ecr-pull';
    const sts = ['--endpoint-url', e.url, '--region', 'us-east-1', '--output', 'json'];
    const assumed = await aws(['sts', 'assume-role', '--role-arn', role, '--role-session-name', 'aws-cli', '--duration-seconds', '900', ...sts], credential);
    expect(assumed.stderr).toBe('');
    const out = JSON.parse(assumed.stdout) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string }; AssumedRoleUser: { Arn: string } };
    expect(out.AssumedRoleUser.Arn).toBe('arn:aws:sts::123456789012:assumed-role/ecr-pull/aws-cli');
    expect(Date.parse(out.Credentials.Expiration) - Date.now()).toBeGreaterThan(880_000);
    const temporary = { accessKeyId: out.Credentials.AccessKeyId, secretAccessKey: out.Credentials.SecretAccessKey, sessionToken: out.Credentials.SessionToken };
    const login = await aws(['ecr', 'get-login-password', '--endpoint-url', e.url, '--region', 'us-east-1'], temporary);
    expect([login.code, login.stdout]).toEqual([0, 'cli-password-0123\n']);

    const token = webIdentityToken({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:acme/app:ref:refs/heads/main' });
    const web = await aws(['sts', 'assume-role-with-web-identity', '--role-arn', role, '--role-session-name', 'gha', '--web-identity-token', token, ...sts], credential);
    expect(web.stderr).toBe('');
    expect((JSON.parse(web.stdout) as { SubjectFromWebIdentityToken: string }).SubjectFromWebIdentityToken).toBe('repo:acme/app:ref:refs/heads/main');
    const garbage = await aws(['sts', 'assume-role-with-web-identity', '--role-arn', role, '--role-session-name', 'gha', '--web-identity-token', 'garbage-token', ...sts], credential);
    expect(garbage.code).not.toBe(0);
    expect(garbage.stderr).toMatch(/\(InvalidIdentityToken\) when calling the AssumeRoleWithWebIdentity operation( \(reached max retries: 0\))?: The ID Token provided is not a valid JWT/);
    expect(e.stats().requests).toMatchObject({ 'sts:AssumeRole': 1, 'sts:AssumeRoleWithWebIdentity': 2, 'ecr:GetAuthorizationToken': 1 });
  }, 60_000);

  it('aws ecr get-authorization-token answers per registry id, with the region’s partition', async () => {
    const e = await start();
    const credential = e.credentials[0];
    if (credential === undefined) throw new Error('no credentials');
    const out = await aws(
      ['ecr', 'get-authorization-token', '--endpoint-url', e.url, '--region', 'cn-north-1', '--registry-ids', '111111111111', '222222222222', '--output', 'json'],
      credential,
    );
    expect(out.code).toBe(0);
    const parsed = JSON.parse(out.stdout) as { authorizationData: { proxyEndpoint: string; authorizationToken: string }[] };
    expect(parsed.authorizationData.map((d) => d.proxyEndpoint)).toEqual([
      'https://111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn',
      'https://222222222222.dkr.ecr.cn-north-1.amazonaws.com.cn',
    ]);
  }, 60_000);
});
