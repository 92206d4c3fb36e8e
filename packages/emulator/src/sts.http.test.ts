// The emulator's STS wire protocol with raw HTTP (no SDK in between): routing by form body, the XML shapes,
// malformed requests, the control endpoints and the command-line flags.
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli.ts';
import { startEmulator, webIdentityToken, type Emulator, type EmulatorOptions } from './index.ts';
import { signSigV4, type SigV4Credential } from './sigv4.ts';
import { control, rawRequest, type RawResponse } from '../test/helpers.ts';

const ROLE = 'arn:aws:iam::123456789012:role/ecr-pull';
const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const e = await startEmulator({ host: '127.0.0.1', ...options });
  running.push(e);
  return e;
}

function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/** POSTs a form, signed for STS with the emulator's first credentials unless `credential` is null. */
function stsRequest(e: Emulator, params: Record<string, string>, options: { credential?: SigV4Credential | null; service?: string } = {}): Promise<RawResponse> {
  const body = form(params);
  const base: [string, string][] = [
    ['host', new URL(e.url).host],
    ['content-type', FORM],
  ];
  const credential = options.credential === undefined ? e.credentials[0] : options.credential;
  const headers = credential === null || credential === undefined ? base : signSigV4({ method: 'POST', url: '/', headers: base, body }, { credential, region: 'us-east-1', service: options.service ?? 'sts', now: e.now() });
  return rawRequest(e.url, { headers, body });
}

/** Checks STS's XML error shape and returns the message. */
function expectStsError(res: RawResponse, status: number, code: string, type = 'Sender'): string {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('text/xml');
  expect(res.text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error>/);
  expect(res.text).toContain(`<Type>${type}</Type><Code>${code}</Code>`);
  expect(res.text).toContain(`<RequestId>${String(res.headers['x-amzn-requestid'])}</RequestId></ErrorResponse>`);
  return /<Message>([^<]*)<\/Message>/.exec(res.text)?.[1] ?? '';
}

const assumeRoleForm = { Action: 'AssumeRole', Version: '2011-06-15', RoleArn: ROLE, RoleSessionName: 'ecr-auth' };

describe('STS over raw HTTP', () => {
  it('answers AssumeRole in STS XML: AssumedRoleUser, Credentials, request id', async () => {
    const e = await emulator();
    const res = await stsRequest(e, assumeRoleForm);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml');
    const [session] = e.issuedSessions();
    expect(res.text).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
        `<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/ecr-pull/ecr-auth</Arn><AssumedRoleId>${session?.assumedRoleId}</AssumedRoleId></AssumedRoleUser>` +
        `<Credentials><AccessKeyId>${session?.accessKeyId}</AccessKeyId><SecretAccessKey>${session?.secretAccessKey}</SecretAccessKey>` +
        `<SessionToken>${session?.sessionToken}</SessionToken><Expiration>${new Date(Math.floor((session?.expiresAtMs ?? 0) / 1000) * 1000).toISOString().replace('.000Z', 'Z')}</Expiration></Credentials>` +
        `<PackedPolicySize>0</PackedPolicySize></AssumeRoleResult><ResponseMetadata><RequestId>${String(res.headers['x-amzn-requestid'])}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  });

  it('an unknown Action or Version: InvalidAction, not counted; a JSON request without a target stays ECR\'s (control)', async () => {
    const e = await emulator();
    expect(expectStsError(await stsRequest(e, { ...assumeRoleForm, Action: 'GetCallerIdentity' }), 400, 'InvalidAction')).toBe('Could not find operation GetCallerIdentity for version 2011-06-15');
    expect(expectStsError(await stsRequest(e, { ...assumeRoleForm, Version: '2010-01-01' }), 400, 'InvalidAction')).toBe('Could not find operation AssumeRole for version 2010-01-01');
    const { Version: _, ...noVersion } = assumeRoleForm;
    expect(expectStsError(await stsRequest(e, noVersion), 400, 'InvalidAction')).toBe('Could not find operation AssumeRole for version NO_VERSION_SPECIFIED');
    expect(e.stats().requests).toEqual({ 'ecr:GetAuthorizationToken': 0, 'ecr-public:GetAuthorizationToken': 0, 'sts:AssumeRole': 0, 'sts:AssumeRoleWithWebIdentity': 0 });
    const json = await rawRequest(e.url, { headers: [['content-type', 'application/x-amz-json-1.1']], body: form(assumeRoleForm) });
    expect(json.headers['x-amzn-errortype']).toBe('UnknownOperationException');
  });

  it('AssumeRole unsigned, badly signed, or scoped to another service: STS codes and statuses; counted', async () => {
    const e = await emulator();
    expect(expectStsError(await stsRequest(e, assumeRoleForm, { credential: null }), 403, 'MissingAuthenticationToken')).toBe('Missing Authentication Token');
    const malformed = await rawRequest(e.url, { headers: [['content-type', FORM], ['authorization', 'AWS4-HMAC-SHA256 Credential=x']], body: form(assumeRoleForm) });
    expectStsError(malformed, 400, 'IncompleteSignature');
    expect(expectStsError(await stsRequest(e, assumeRoleForm, { service: 'ecr' }), 403, 'SignatureDoesNotMatch')).toMatch(/scoped to correct service: 'sts'/);
    expectStsError(await stsRequest(e, assumeRoleForm, { credential: { accessKeyId: 'AKIAOTHER', secretAccessKey: 's' } }), 403, 'InvalidClientTokenId');
    expect(e.stats().requests['sts:AssumeRole']).toBe(4);
    expect(e.issuedSessions()).toEqual([]);
  });

  it('missing parameters: ValidationError "Member must not be null"', async () => {
    const e = await emulator();
    const { RoleArn: _, ...noRole } = assumeRoleForm;
    expect(expectStsError(await stsRequest(e, noRole), 400, 'ValidationError')).toBe("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
    const web = { Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: ROLE, RoleSessionName: 'web' };
    expect(expectStsError(await stsRequest(e, web, { credential: null }), 400, 'ValidationError')).toMatch(/'webIdentityToken' failed to satisfy constraint: Member must not be null/);
    expect(expectStsError(await stsRequest(e, { ...assumeRoleForm, DurationSeconds: '1e4' }), 400, 'ValidationError')).toMatch(/'durationSeconds' failed to satisfy constraint: Member must be an integer/);
  });

  it('AssumeRoleWithWebIdentity needs no signature; a refused token is never echoed', async () => {
    const e = await emulator();
    const token = webIdentityToken({ iss: 'https://issuer.example', sub: 'me', aud: 'someone-else' });
    const params = { Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: ROLE, RoleSessionName: 'web', WebIdentityToken: token };
    const refused = await stsRequest(e, params, { credential: null });
    expect(expectStsError(refused, 400, 'InvalidIdentityToken')).toBe('Incorrect token audience');
    expect(refused.text).not.toContain(token.split('.')[2]);
    const accepted = await stsRequest(e, { ...params, WebIdentityToken: webIdentityToken({ iss: 'https://issuer.example', sub: 'me' }) }, { credential: null });
    expect(accepted.status).toBe(200);
    expect(accepted.text).toMatch(/<AssumeRoleWithWebIdentityResult><SubjectFromWebIdentityToken>me<\/SubjectFromWebIdentityToken><Audience>sts\.amazonaws\.com<\/Audience><AssumedRoleUser>/);
    expect(accepted.text).toContain('<Provider>issuer.example</Provider></AssumeRoleWithWebIdentityResult>');
  });

  it('a server-error fault is a Receiver error', async () => {
    const e = await emulator();
    e.injectFault({ kind: 'server-error', operation: 'sts:AssumeRole' });
    expectStsError(await stsRequest(e, assumeRoleForm), 500, 'InternalFailure', 'Receiver');
  });
});

describe('control endpoints and the command line', () => {
  it('POST /__emulator/faults takes an operation; an unknown one is refused', async () => {
    const e = await emulator();
    expect(await control(e, 'POST', '/__emulator/faults', { kind: 'throttle', operation: 'sts:AssumeRoleWithWebIdentity' })).toEqual({
      status: 200,
      json: { pending: [{ kind: 'throttle', count: 1, operation: 'sts:AssumeRoleWithWebIdentity' }] },
    });
    const bad = await control(e, 'POST', '/__emulator/faults', { kind: 'throttle', operation: 'sts:GetCallerIdentity' });
    expect(bad.status).toBe(400);
    expect(bad.json['message']).toMatch(/^invalid fault: "operation" must be one of ecr:GetAuthorizationToken, ecr-public:GetAuthorizationToken, sts:AssumeRole, sts:AssumeRoleWithWebIdentity$/);
    expect((await control(e, 'GET', '/__emulator/stats')).json).toEqual({
      requests: { 'ecr:GetAuthorizationToken': 0, 'ecr-public:GetAuthorizationToken': 0, 'sts:AssumeRole': 0, 'sts:AssumeRoleWithWebIdentity': 0 },
    });
  });

  it('--role, --web-identity-issuer and --web-identity-audience (repeatable); bad values are usage errors', () => {
    const command = parseCliArgs(['--role', ROLE, '--web-identity-issuer', 'https://a.example', '--web-identity-issuer', 'https://b.example', '--web-identity-audience', 'ecr-auth']);
    expect(command).toMatchObject({ kind: 'serve', options: { roles: [ROLE], webIdentity: { issuers: ['https://a.example', 'https://b.example'], audiences: ['ecr-auth'] } } });
    expect(parseCliArgs([])).not.toHaveProperty('options.webIdentity');
    expect(() => parseCliArgs(['--role', 'arn:aws:iam::123456789012:user/x'])).toThrow(/--role arn:aws:iam::123456789012:user\/x is invalid/);
    expect(() => parseCliArgs(['--web-identity-issuer', 'http://a.example'])).toThrow(/--web-identity-issuer must be an https:\/\/ URL/);
  });

  it('startEmulator refuses roles and web identity rules that are not valid', async () => {
    await expect(startEmulator({ roles: ['nope'] })).rejects.toThrow(/@ecr-auth\/emulator: roles: .*'nope'/);
    await expect(startEmulator({ webIdentity: { issuers: ['issuer.example'] } })).rejects.toThrow(/is not an https:\/\/ URL/);
    await expect(startEmulator({ webIdentity: { audiences: [] } })).rejects.toThrow(/must name at least one audience/);
  });
});
