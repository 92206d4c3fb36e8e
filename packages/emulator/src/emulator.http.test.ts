// The wire protocol and control endpoints, with raw HTTP requests (no SDK in between).
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions, type EmulatorRequestEvent } from './index.ts';
import { signSigV4 } from './sigv4.ts';
import { control, rawRequest, type RawResponse } from '../test/helpers.ts';

const running: Emulator[] = [];

async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const e = await startEmulator({ host: '127.0.0.1', ...options });
  running.push(e);
  return e;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

const PRIVATE_TARGET = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken';
const PUBLIC_TARGET = 'SpencerFrontendService.GetAuthorizationToken';

/** Sends a request signed with the emulator's first credentials. */
function signed(
  e: Emulator,
  options: { target?: string; body?: string; service?: string; region?: string; at?: number } = {},
): Promise<RawResponse> {
  const body = options.body ?? '{}';
  const credential = e.credentials[0];
  if (credential === undefined) throw new Error('no credentials');
  const headers = signSigV4(
    {
      method: 'POST',
      url: '/',
      headers: [
        ['host', new URL(e.url).host],
        ['content-type', 'application/x-amz-json-1.1'],
        ['x-amz-target', options.target ?? PRIVATE_TARGET],
      ],
      body,
    },
    { credential, region: options.region ?? 'us-east-1', service: options.service ?? 'ecr', now: options.at ?? e.now() },
  );
  return rawRequest(e.url, { headers, body });
}

function expectAwsError(res: RawResponse, status: number, type: string): string {
  expect(res.status).toBe(status);
  expect(res.headers['x-amzn-errortype']).toBe(type);
  expect(res.headers['content-type']).toBe('application/x-amz-json-1.1');
  const body = JSON.parse(res.text) as { __type: string; message: string };
  expect(body.__type).toBe(type);
  expect(typeof body.message).toBe('string');
  return body.message;
}

describe('wire protocol', () => {
  it('answers a signed request in AWS JSON 1.1 with a request id and a Date from its clock', async () => {
    const e = await emulator({ password: 'p', clockOffsetSeconds: 86_400 });
    const res = await signed(e);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    const date = Date.parse(String(res.headers['date']));
    expect(Math.abs(date - (Date.now() + 86_400_000))).toBeLessThan(60_000);
    const body = JSON.parse(res.text) as { authorizationData: { authorizationToken: string; expiresAt: number; proxyEndpoint: string }[] };
    expect(body.authorizationData[0]?.authorizationToken).toBe(Buffer.from('AWS:p').toString('base64'));
    expect(typeof body.authorizationData[0]?.expiresAt).toBe('number');
  });

  it('gives every answer, errors too, a fresh request id', async () => {
    const e = await emulator();
    const [a, b] = await Promise.all([signed(e, { target: 'Nope.Op' }), signed(e)]);
    expect(a.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['x-amzn-requestid']).not.toBe(b.headers['x-amzn-requestid']);
  });

  it('refuses an unknown target with UnknownOperationException and does not count it', async () => {
    const e = await emulator();
    expectAwsError(await signed(e, { target: 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories' }), 400, 'UnknownOperationException');
    expectAwsError(await rawRequest(e.url, { method: 'GET', path: '/' }), 400, 'UnknownOperationException');
    expect(e.stats().requests).toEqual({ 'ecr:GetAuthorizationToken': 0, 'ecr-public:GetAuthorizationToken': 0, 'sts:AssumeRole': 0, 'sts:AssumeRoleWithWebIdentity': 0 });
    expect((await signed(e)).status).toBe(200);
  });

  it('refuses a scope naming the other service, for each operation', async () => {
    const e = await emulator();
    expect((await signed(e, { target: PUBLIC_TARGET, service: 'ecr-public' })).status).toBe(200);
    expect(expectAwsError(await signed(e, { target: PUBLIC_TARGET, service: 'ecr' }), 400, 'InvalidSignatureException')).toBe(
      "Credential should be scoped to correct service: 'ecr-public'. ",
    );
    expect(expectAwsError(await signed(e, { service: 'ecr-public' }), 400, 'InvalidSignatureException')).toBe(
      "Credential should be scoped to correct service: 'ecr'. ",
    );
  });

  it('refuses a region that is not a region name', async () => {
    const e = await emulator();
    expect(expectAwsError(await signed(e, { region: 'moon' }), 400, 'InvalidSignatureException')).toMatch(/valid region/);
  });

  it('refuses a request without a signature, and a body that is not JSON', async () => {
    const e = await emulator();
    const unsigned = await rawRequest(e.url, { headers: [['x-amz-target', PRIVATE_TARGET]], body: '{}' });
    expect(expectAwsError(unsigned, 400, 'MissingAuthenticationTokenException')).toBe('Missing Authentication Token');
    expectAwsError(await signed(e, { body: '{nope' }), 400, 'SerializationException');
    expectAwsError(await signed(e, { body: '[]' }), 400, 'SerializationException');
    expectAwsError(await signed(e, { body: '{"registryIds": "111111111111"}' }), 400, 'SerializationException');
    expect((await signed(e, { body: '' })).status).toBe(200);
  });

  it('sends Date from its clock on a clock-skew error, so clients can correct', async () => {
    const e = await emulator({ clockOffsetSeconds: -3600 });
    const res = await signed(e, { at: Date.now() });
    expect(expectAwsError(res, 400, 'InvalidSignatureException')).toMatch(/^Signature not yet current: /);
    expect(Math.abs(Date.parse(String(res.headers['date'])) - (Date.now() - 3_600_000))).toBeLessThan(60_000);
  });

  it('tells onRequest what happened, without secrets', async () => {
    const caller = (partition: string) => ({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', callerArn: `arn:${partition}:iam::123456789012:user/emulator` });
    const events: EmulatorRequestEvent[] = [];
    const e = await emulator({ password: 'do-not-log', onRequest: (event) => events.push(event) });
    e.injectFault({ kind: 'throttle' });
    await signed(e);
    await signed(e, { region: 'cn-north-1' });
    expect(events.map(({ requestId: _, ...rest }) => rest)).toEqual([
      { method: 'POST', path: '/', operation: 'ecr:GetAuthorizationToken', region: 'us-east-1', fault: 'throttle', status: 400, errorType: 'ThrottlingException', ...caller('aws') },
      { method: 'POST', path: '/', operation: 'ecr:GetAuthorizationToken', region: 'cn-north-1', status: 200, ...caller('aws-cn') },
    ]);
    expect(JSON.stringify(events)).not.toContain('do-not-log');
  });
});

describe('control endpoints', () => {
  it('GET /__emulator/stats counts API requests per operation, including refused and faulted ones', async () => {
    const e = await emulator();
    await signed(e);
    await signed(e, { service: 'ecr-public' }); // refused: wrong scope, still counted
    await signed(e, { target: PUBLIC_TARGET, service: 'ecr-public' });
    e.injectFault({ kind: 'server-error' });
    expectAwsError(await signed(e, { target: PUBLIC_TARGET, service: 'ecr-public' }), 500, 'ServerException');
    await control(e, 'GET', '/__emulator/stats'); // control requests are not counted
    expect(await control(e, 'GET', '/__emulator/stats')).toEqual({
      status: 200,
      json: { requests: { 'ecr:GetAuthorizationToken': 2, 'ecr-public:GetAuthorizationToken': 2, 'sts:AssumeRole': 0, 'sts:AssumeRoleWithWebIdentity': 0 } },
    });
  });

  it('POST /__emulator/faults queues faults; DELETE clears them', async () => {
    const e = await emulator();
    expect(await control(e, 'POST', '/__emulator/faults', { kind: 'throttle', count: 2 })).toEqual({
      status: 200,
      json: { pending: [{ kind: 'throttle', count: 2 }] },
    });
    expect(expectAwsError(await signed(e), 400, 'ThrottlingException')).toBe('Rate exceeded');
    expect((await control(e, 'GET', '/__emulator/faults')).json).toEqual({ pending: [{ kind: 'throttle', count: 1 }] });
    expect(await control(e, 'DELETE', '/__emulator/faults')).toEqual({ status: 200, json: { pending: [] } });
    expect((await signed(e)).status).toBe(200);
  });

  it('a fault applies only to requests that pass authentication', async () => {
    const e = await emulator();
    e.injectFault({ kind: 'access-denied' });
    expectAwsError(await signed(e, { service: 'ecr-public' }), 400, 'InvalidSignatureException');
    expectAwsError(await signed(e), 400, 'AccessDeniedException');
    expect((await signed(e)).status).toBe(200);
  });

  it('reset fault: the socket closes with no answer', async () => {
    const e = await emulator();
    await control(e, 'POST', '/__emulator/faults', { kind: 'reset' });
    await expect(signed(e)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await signed(e)).status).toBe(200);
  });

  it.each([
    ['not JSON', '{kind'],
    ['an unknown kind', { kind: 'meltdown' }],
    ['a bad count', { kind: 'throttle', count: -1 }],
    ['a delay without ms', { kind: 'delay' }],
  ])('POST /__emulator/faults refuses %s with 400 and a message', async (_name, body) => {
    const e = await emulator();
    const res = await control(e, 'POST', '/__emulator/faults', body);
    expect(res.status).toBe(400);
    expect(res.json['message']).toMatch(/^invalid fault: /);
    expect(e.pendingFaults()).toEqual([]);
  });

  it('POST /__emulator/reset zeroes stats and faults', async () => {
    const e = await emulator();
    await signed(e);
    e.injectFault({ kind: 'throttle', count: 3 });
    expect(await control(e, 'POST', '/__emulator/reset')).toEqual({
      status: 200,
      json: { requests: { 'ecr:GetAuthorizationToken': 0, 'ecr-public:GetAuthorizationToken': 0, 'sts:AssumeRole': 0, 'sts:AssumeRoleWithWebIdentity': 0 }, pending: [] },
    });
    expect(e.pendingFaults()).toEqual([]);
    expect((await signed(e)).status).toBe(200);
  });

  it('answers 404 for an unknown control path and 405 for a wrong method', async () => {
    const e = await emulator();
    expect((await control(e, 'GET', '/__emulator/nope')).status).toBe(404);
    expect((await control(e, 'PUT', '/__emulator/stats')).status).toBe(405);
  });
});

describe('lifecycle and options', () => {
  it('stop() closes the port and is idempotent', async () => {
    const e = await startEmulator();
    expect(e.url).toBe(`http://127.0.0.1:${e.port}`);
    await Promise.all([e.stop(), e.stop()]);
    await expect(rawRequest(e.url, { method: 'GET', path: '/__emulator/stats' })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('stop() ends a pending delay promptly', async () => {
    const e = await startEmulator();
    e.injectFault({ kind: 'delay', ms: 600_000 });
    const pending = signed(e).then(
      () => 'answered',
      () => 'dropped',
    );
    // Wait until the request has reached the fault (bounded).
    for (let i = 0; i < 200 && e.stats().requests['ecr:GetAuthorizationToken'] === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(e.stats().requests['ecr:GetAuthorizationToken']).toBe(1);
    await e.stop();
    expect(await pending).toBe('dropped');
  });

  it.each([
    [{ accountId: '123' }, /accountId/],
    [{ tokenTtlSeconds: 0 }, /tokenTtlSeconds/],
    [{ password: '' }, /password/],
    [{ credentials: [] }, /credentials/],
    [{ credentials: [{ accessKeyId: 'A/B', secretAccessKey: 's' }] }, /access key id/],
    [{ proxyEndpoint: 'not a url' }, /proxyEndpoint/],
    [{ clockOffsetSeconds: Number.NaN }, /clockOffsetSeconds/],
    [{ port: 70000 }, /port/],
  ])('refuses the option %j', async (options, message) => {
    await expect(startEmulator(options as EmulatorOptions)).rejects.toThrow(message);
  });

  it('refuses a fault that is not valid, programmatically', async () => {
    const e = await emulator();
    expect(() => e.injectFault({ kind: 'delay' })).toThrow(/needs "ms"/);
    expect(() => e.setClockOffset(Number.POSITIVE_INFINITY)).toThrow(/clockOffsetSeconds/);
  });
});
