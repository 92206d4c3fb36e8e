// The emulator's STS (AssumeRole, AssumeRoleWithWebIdentity) driven by the real SDK client, and the temporary
// credentials it issues used for ECR through the real ECR client.
import { GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, webIdentityToken, type Emulator, type EmulatorOptions, type EmulatorRequestEvent } from './index.ts';
import { ecrClient, rejectionOf } from '../test/helpers.ts';

const ROLE = 'arn:aws:iam::123456789012:role/ecr-pull';
const ISSUER = 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE';
const SUBJECT = 'system:serviceaccount:apps:puller';
const claims = { iss: ISSUER, sub: SUBJECT };

const running: Emulator[] = [];
const clients: { destroy(): void }[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const e = await startEmulator({ host: '127.0.0.1', ...options });
  running.push(e);
  return e;
}

function track<T extends { destroy(): void }>(client: T): T {
  clients.push(client);
  return client;
}

/** An STS client aimed at the emulator, with its first credentials unless `config` names others (or `unsigned`). */
function sts(e: Emulator, config: STSClientConfig = {}, unsigned = false): STSClient {
  const [credentials] = e.credentials;
  return track(new STSClient({ region: 'us-east-1', endpoint: e.url, maxAttempts: 1, ...(unsigned || !credentials ? {} : { credentials }), ...config }));
}

type Credentials = { AccessKeyId?: string | undefined; SecretAccessKey?: string | undefined; SessionToken?: string | undefined };
function asSdkCredentials(c: Credentials | undefined) {
  return { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' };
}

async function assume(e: Emulator, input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {}, config: STSClientConfig = {}) {
  return sts(e, config).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'ecr-auth', ...input }));
}

async function assumeWeb(e: Emulator, token: string, input: Partial<ConstructorParameters<typeof AssumeRoleWithWebIdentityCommand>[0]> = {}) {
  // Unsigned, as the SDK sends it: no credentials at all on this client.
  return sts(e, {}, true).send(
    new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE, RoleSessionName: 'ecr-credential-provider', WebIdentityToken: token, ...input }),
  );
}

const stsCount = (e: Emulator) => ({ assumeRole: e.stats().requests['sts:AssumeRole'], web: e.stats().requests['sts:AssumeRoleWithWebIdentity'] });

describe('AssumeRole through the SDK', () => {
  it('issues ASIA… credentials of the role for an hour, which ECR then accepts as that role', async () => {
    const events: EmulatorRequestEvent[] = [];
    const e = await emulator({ password: 'role-password', onRequest: (event) => events.push(event) });
    const before = e.now();
    const out = await assume(e, { ExternalId: 'ext-42' });
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.SecretAccessKey).toMatch(/^.{40}$/);
    expect(out.Credentials?.SessionToken?.length).toBeGreaterThan(400);
    const expiration = out.Credentials?.Expiration?.getTime() ?? 0;
    expect(expiration).toBeGreaterThan(before + 3_600_000 - 2_000);
    expect(expiration).toBeLessThanOrEqual(e.now() + 3_600_000);
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::123456789012:assumed-role/ecr-pull/ecr-auth');
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:ecr-auth$/);
    expect(e.issuedSessions()).toMatchObject([
      { accessKeyId: out.Credentials?.AccessKeyId, roleArn: ROLE, sessionName: 'ecr-auth', externalId: 'ext-42', operation: 'sts:AssumeRole', requestedBy: 'AKIAIOSFODNN7EXAMPLE' },
    ]);

    const ecr = track(ecrClient(e, { credentials: asSdkCredentials(out.Credentials) }));
    await ecr.send(new GetAuthorizationTokenCommand({}));
    expect(events.map((ev) => [ev.operation, ev.callerArn, ev.roleArn])).toEqual([
      ['sts:AssumeRole', 'arn:aws:iam::123456789012:user/emulator', ROLE],
      ['ecr:GetAuthorizationToken', 'arn:aws:sts::123456789012:assumed-role/ecr-pull/ecr-auth', ROLE],
    ]);
    // Control: the same keys without their session token are not credentials the emulator knows.
    const { sessionToken: _, ...withoutToken } = asSdkCredentials(out.Credentials);
    const refused = await rejectionOf(() => track(ecrClient(e, { credentials: withoutToken })).send(new GetAuthorizationTokenCommand({})));
    expect(refused.name).toBe('UnrecognizedClientException');
    expect(stsCount(e)).toEqual({ assumeRole: 1, web: 0 });
  });

  it('refuses unknown keys (InvalidClientTokenId) and a wrong secret (SignatureDoesNotMatch), counting both', async () => {
    const e = await emulator();
    const unknown = await rejectionOf(() => assume(e, {}, { credentials: { accessKeyId: 'AKIAUNKNOWNEXAMPLE00', secretAccessKey: 'x' } }));
    expect([unknown.name, unknown.$metadata]).toEqual(['InvalidClientTokenId', expect.objectContaining({ httpStatusCode: 403 })]);
    const wrongSecret = await rejectionOf(() => assume(e, {}, { credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'not-the-secret' } }));
    expect(wrongSecret.name).toBe('SignatureDoesNotMatch');
    expect(wrongSecret.message).toMatch(/^The request signature we calculated does not match/);
    expect(stsCount(e)).toEqual({ assumeRole: 2, web: 0 });
    expect(e.issuedSessions()).toEqual([]);
  });

  it.each([
    [{ RoleArn: 'arn:aws:iam::123456789012:user/ecr-pull' }, /is invalid: a role ARN is arn:<partition>:iam::<12-digit account>:role\/<path\/name>/],
    [{ RoleArn: 'arn:aws:iam::12345:role/ecr-pull' }, /is invalid/],
    [{ RoleArn: 'arn:aws:iam::123456789012:role/' }, /is invalid/],
    [{ RoleArn: 'arn:aws:iam::123456789012:role/bad name' }, /is invalid/],
    [{ RoleArn: 'arn:aws-moon:iam::123456789012:role/ecr-pull' }, /no partition is named aws-moon/],
    [{ RoleArn: 'arn:aws:iam::1:role' }, /at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20/],
    [{ RoleSessionName: 'x' }, /at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2/],
    [{ RoleSessionName: 'x'.repeat(65) }, /at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64/],
    [{ RoleSessionName: 'has space' }, /at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern/],
    [{ DurationSeconds: 899 }, /at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900/],
    [{ DurationSeconds: 43_201 }, /at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200/],
    [{ ExternalId: 'x' }, /at 'externalId' failed to satisfy constraint/],
    [{ RoleArn: 'arn:aws-cn:iam::123456789012:role/ecr-pull' }, /is in partition aws-cn; this STS region serves partition aws/],
  ])('refuses %j with ValidationError', async (input, message) => {
    const e = await emulator();
    const error = await rejectionOf(() => assume(e, input));
    expect(error.name).toBe('ValidationError');
    expect(error.message).toMatch(message);
    expect(e.issuedSessions()).toEqual([]);
  });

  it('accepts the bounds of each parameter, a role path, and a role of its partition from a region of it (control)', async () => {
    const e = await emulator();
    for (const seconds of [900, 43_200]) {
      const out = await assume(e, { DurationSeconds: seconds, RoleSessionName: 'ab' });
      expect((out.Credentials?.Expiration?.getTime() ?? 0) - e.now()).toBeGreaterThan(seconds * 1000 - 3_000);
    }
    expect((await assume(e, { RoleArn: 'arn:aws:iam::210987654321:role/ci/team/ecr-pull', RoleSessionName: 'x'.repeat(64) })).AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::210987654321:assumed-role/ecr-pull/${'x'.repeat(64)}`,
    );
    const china = await assume(e, { RoleArn: 'arn:aws-cn:iam::123456789012:role/ecr-pull' }, { region: 'cn-north-1' });
    expect(china.AssumedRoleUser?.Arn).toBe('arn:aws-cn:sts::123456789012:assumed-role/ecr-pull/ecr-auth');
  });

  it('role chaining: a role assumed with temporary credentials lasts at most an hour', async () => {
    const e = await emulator();
    const first = await assume(e);
    const chained = { credentials: asSdkCredentials(first.Credentials) };
    const tooLong = await rejectionOf(() => assume(e, { RoleArn: 'arn:aws:iam::123456789012:role/next', DurationSeconds: 7200 }, chained));
    expect(tooLong.name).toBe('ValidationError');
    expect(tooLong.message).toBe('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    const next = await assume(e, { RoleArn: 'arn:aws:iam::123456789012:role/next', DurationSeconds: 3600 }, chained);
    expect(e.issuedSessions().at(-1)).toMatchObject({ accessKeyId: next.Credentials?.AccessKeyId, requestedBy: first.Credentials?.AccessKeyId });
    // Control: the base credentials may ask for 2 hours.
    expect((await assume(e, { DurationSeconds: 7200 })).Credentials).toBeDefined();
  });

  it('temporary credentials stop working when they expire: ExpiredTokenException for ECR, ExpiredToken for STS', async () => {
    const e = await emulator();
    const out = await assume(e, { DurationSeconds: 900 });
    const credentials = asSdkCredentials(out.Credentials);
    // Each client's clock is told the emulator's offset, as the SDK would learn it from a Date header.
    const ecrAt = (offsetSeconds: number, config = {}) => {
      e.setClockOffset(offsetSeconds);
      return track(ecrClient(e, { credentials, maxAttempts: 1, systemClockOffset: offsetSeconds * 1000, ...config }));
    };
    await ecrAt(0).send(new GetAuthorizationTokenCommand({}));
    // Still valid moments before expiry.
    await ecrAt(890).send(new GetAuthorizationTokenCommand({}));
    const expired = await rejectionOf(() => ecrAt(901).send(new GetAuthorizationTokenCommand({})));
    expect(expired.name).toBe('ExpiredTokenException');
    expect(expired.message).toBe('The security token included in the request is expired');
    const chained = await rejectionOf(() => assume(e, { RoleArn: 'arn:aws:iam::123456789012:role/next' }, { credentials, systemClockOffset: 901_000 }));
    expect([chained.name, (chained.$metadata as { httpStatusCode?: number }).httpStatusCode]).toEqual(['ExpiredToken', 403]);
    // Control: the base credentials work at the same moment.
    await ecrAt(901, { credentials: e.credentials[0] }).send(new GetAuthorizationTokenCommand({}));
  });

  it('roles: only the listed roles may be assumed; others get AccessDenied in IAM wording', async () => {
    const e = await emulator({ roles: [ROLE] });
    const other = 'arn:aws:iam::123456789012:role/admin';
    const denied = await rejectionOf(() => assume(e, { RoleArn: other }));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toBe(`User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: sts:AssumeRole on resource: ${other}`);
    const deniedWeb = await rejectionOf(() => assumeWeb(e, webIdentityToken({ iss: ISSUER, sub: SUBJECT }), { RoleArn: other }));
    expect([deniedWeb.name, deniedWeb.message]).toEqual(['AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity']);
    expect((await assume(e)).Credentials).toBeDefined();
    expect(e.issuedSessions()).toHaveLength(1);
  });
});

describe('AssumeRoleWithWebIdentity through the SDK', () => {
  it('accepts a well-formed token unsigned, reports its subject, audience and provider; ECR accepts the credentials', async () => {
    const events: EmulatorRequestEvent[] = [];
    const e = await emulator({ onRequest: (event) => events.push(event) });
    const token = webIdentityToken({ iss: ISSUER, sub: SUBJECT });
    const out = await assumeWeb(e, token, { DurationSeconds: 1800 });
    expect(out.SubjectFromWebIdentityToken).toBe(SUBJECT);
    expect(out.Audience).toBe('sts.amazonaws.com');
    expect(out.Provider).toBe('oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE');
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::123456789012:assumed-role/ecr-pull/ecr-credential-provider');
    expect((out.Credentials?.Expiration?.getTime() ?? 0) - e.now()).toBeGreaterThan(1_797_000);
    expect(e.issuedSessions()).toMatchObject([{ roleArn: ROLE, operation: 'sts:AssumeRoleWithWebIdentity', requestedBy: SUBJECT }]);
    await track(ecrClient(e, { credentials: asSdkCredentials(out.Credentials) })).send(new GetAuthorizationTokenCommand({}));
    expect(events.map((ev) => [ev.operation, ev.roleArn, ev.callerArn])).toEqual([
      ['sts:AssumeRoleWithWebIdentity', ROLE, undefined],
      ['ecr:GetAuthorizationToken', ROLE, 'arn:aws:sts::123456789012:assumed-role/ecr-pull/ecr-credential-provider'],
    ]);
    expect(JSON.stringify(events)).not.toContain(token.split('.')[2]);
  });

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['garbage', 'not-a-token', 'InvalidIdentityTokenException', /not a valid JWT: it is not three base64url parts/],
    ['two parts', `${b64({ alg: 'RS256' })}.${b64(claims)}`, 'InvalidIdentityTokenException', /three base64url parts/],
    ['claims not JSON', `${b64({ alg: 'RS256' })}.bm90IGpzb24.c2ln`, 'InvalidIdentityTokenException', /claims is not base64url JSON/],
    ['alg none', `${b64({ alg: 'none' })}.${b64({ ...claims, aud: 'sts.amazonaws.com', exp: 4e9 })}.c2ln`, 'InvalidIdentityTokenException', /no signing algorithm/],
    ['no sub', webIdentityToken({ iss: ISSUER, sub: '' }), 'InvalidIdentityTokenException', /has no "sub"/],
    ['http issuer', webIdentityToken({ iss: 'http://issuer.example', sub: SUBJECT }), 'InvalidIdentityTokenException', /"iss" is not an https:\/\/ URL/],
    ['wrong audience', webIdentityToken({ ...claims, aud: 'kubernetes.default.svc' }), 'InvalidIdentityTokenException', /^Incorrect token audience$/],
    ['expired', webIdentityToken({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }), 'ExpiredTokenException', /^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/],
  ])('refuses a token that is %s', async (_, token, name, message) => {
    const e = await emulator();
    const error = await rejectionOf(() => assumeWeb(e, token));
    expect(error.name).toBe(name);
    expect(error.message).toMatch(message);
    expect((error.$metadata as { httpStatusCode?: number }).httpStatusCode).toBe(400);
    expect(e.issuedSessions()).toEqual([]);
    expect(stsCount(e)).toEqual({ assumeRole: 0, web: 1 });
  });

  it('webIdentity rules: only the configured issuers and audiences (a token with an audience list matches any)', async () => {
    const github = 'https://token.actions.githubusercontent.com';
    const e = await emulator({ webIdentity: { issuers: [github], audiences: ['sts.amazonaws.com', 'ecr-auth'] } });
    const stranger = await rejectionOf(() => assumeWeb(e, webIdentityToken(claims)));
    expect([stranger.name, stranger.message]).toEqual(['InvalidIdentityTokenException', `No OpenIDConnect provider found in your account for ${ISSUER}`]);
    const out = await assumeWeb(e, webIdentityToken({ iss: github, sub: 'repo:acme/app:ref:refs/heads/main', aud: ['other', 'ecr-auth'] }));
    expect([out.Audience, out.Provider]).toEqual(['ecr-auth', 'token.actions.githubusercontent.com']);
  });

  it('validates RoleArn, RoleSessionName and DurationSeconds as AssumeRole does', async () => {
    const e = await emulator();
    const token = webIdentityToken(claims);
    for (const [input, message] of [
      [{ RoleArn: 'arn:aws:iam::123456789012:group/x' }, /is invalid/],
      [{ RoleSessionName: 'a' }, /'roleSessionName'/],
      [{ DurationSeconds: 50_000 }, /'durationSeconds'/],
    ] as const) {
      const error = await rejectionOf(() => assumeWeb(e, token, input));
      expect([error.name, error.message]).toEqual(['ValidationError', expect.stringMatching(message)]);
    }
    expect(e.issuedSessions()).toEqual([]);
  });
});

describe('STS faults and stats', () => {
  it('a throttle fault for sts:AssumeRole: Throttling, retried by the SDK, each attempt counted; ECR requests pass it by', async () => {
    const e = await emulator();
    e.injectFault({ kind: 'throttle', operation: 'sts:AssumeRole' });
    // The ECR request does not take the STS fault (control).
    await track(ecrClient(e, { maxAttempts: 1 })).send(new GetAuthorizationTokenCommand({}));
    expect(e.pendingFaults()).toEqual([{ kind: 'throttle', count: 1, operation: 'sts:AssumeRole' }]);
    const throttled = await rejectionOf(() => assume(e));
    expect([throttled.name, throttled.message]).toEqual(['Throttling', 'Rate exceeded']);
    e.injectFault({ kind: 'throttle', operation: 'sts:AssumeRole' });
    const retried = await assume(e, {}, { maxAttempts: 2 });
    expect(retried.Credentials).toBeDefined();
    expect(e.stats().requests).toEqual({ 'ecr:GetAuthorizationToken': 1, 'ecr-public:GetAuthorizationToken': 0, 'sts:AssumeRole': 3, 'sts:AssumeRoleWithWebIdentity': 0 });
  });

  it('server-error: 500 InternalFailure; access-denied: AccessDenied naming the caller and the role; faults without an operation hit STS too', async () => {
    const e = await emulator();
    e.injectFault({ kind: 'server-error' });
    const failed = await rejectionOf(() => assume(e));
    expect([failed.name, (failed.$metadata as { httpStatusCode?: number }).httpStatusCode]).toEqual(['InternalFailure', 500]);
    e.injectFault({ kind: 'access-denied', operation: 'sts:AssumeRole' });
    const denied = await rejectionOf(() => assume(e));
    expect([denied.name, denied.message]).toEqual(['AccessDenied', `User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`]);
    e.injectFault({ kind: 'access-denied', operation: 'sts:AssumeRoleWithWebIdentity' });
    const deniedWeb = await rejectionOf(() => assumeWeb(e, webIdentityToken(claims)));
    expect([deniedWeb.name, deniedWeb.message]).toEqual(['AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity']);
    expect(e.issuedSessions()).toEqual([]);
    expect(e.pendingFaults()).toEqual([]);
  });

  it('an access-denied fault on ECR names the assumed role as the caller', async () => {
    const e = await emulator();
    const out = await assumeWeb(e, webIdentityToken(claims));
    e.injectFault({ kind: 'access-denied', operation: 'ecr:GetAuthorizationToken' });
    const denied = await rejectionOf(() => track(ecrClient(e, { credentials: asSdkCredentials(out.Credentials) })).send(new GetAuthorizationTokenCommand({})));
    expect(denied.message).toMatch(/^User: arn:aws:sts::123456789012:assumed-role\/ecr-pull\/ecr-credential-provider is not authorized to perform: ecr:GetAuthorizationToken/);
  });

  it('delay and reset apply to STS as to ECR', async () => {
    const e = await emulator();
    e.injectFault({ kind: 'delay', ms: 300, operation: 'sts:AssumeRoleWithWebIdentity' });
    const started = Date.now();
    await assumeWeb(e, webIdentityToken(claims));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    e.injectFault({ kind: 'reset', operation: 'sts:AssumeRoleWithWebIdentity' });
    const reset = await rejectionOf(() => assumeWeb(e, webIdentityToken(claims)));
    expect(reset.message).toMatch(/socket hang up|ECONNRESET/);
    expect(e.issuedSessions()).toHaveLength(1);
    expect(stsCount(e)).toEqual({ assumeRole: 0, web: 2 });
  });
});
