// The emulator driven by the real AWS SDK clients.
import { type ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { GetAuthorizationTokenCommand as GetPublicAuthorizationTokenCommand } from '@aws-sdk/client-ecr-public';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from './index.ts';
import { ecrClient, ecrPublicClient, passwordOf, rejectionOf } from '../test/helpers.ts';

const running: Emulator[] = [];
const clients: { destroy(): void }[] = [];

async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const e = await startEmulator({ host: '127.0.0.1', ...options });
  running.push(e);
  return e;
}

function track<T extends { destroy(): void }>(client: T): T {
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

describe('private ECR GetAuthorizationToken through the SDK', () => {
  it('hands out a token that decodes to AWS:<password>, expiring ttl from now', async () => {
    const e = await emulator({ tokenTtlSeconds: 3600 });
    const before = Date.now();
    const out = await track(ecrClient(e)).send(new GetAuthorizationTokenCommand({}));
    const after = Date.now();
    expect(out.authorizationData).toHaveLength(1);
    const [data] = out.authorizationData ?? [];
    const password = passwordOf(data?.authorizationToken);
    expect(e.issuedPasswords()).toEqual([password]);
    // Random passwords are long, like real ones: the token is longer than 2048 characters.
    expect(password.length).toBeGreaterThan(1500);
    expect(data?.authorizationToken?.length).toBeGreaterThan(2048);
    const expiresAt = data?.expiresAt?.getTime() ?? 0;
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3_600_000 - 1);
    expect(expiresAt).toBeLessThanOrEqual(after + 3_600_000 + 1);
    expect(data?.proxyEndpoint).toBe('https://123456789012.dkr.ecr.us-east-1.amazonaws.com');
  });

  it('hands out a new random password per token, and the fixed one when configured', async () => {
    const random = await emulator();
    const client = track(ecrClient(random));
    const first = passwordOf((await client.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0]?.authorizationToken);
    const second = passwordOf((await client.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0]?.authorizationToken);
    expect(first).not.toBe(second);
    expect(random.issuedPasswords()).toEqual([first, second]);

    const fixed = await emulator({ password: 'fixed-password' });
    const out = await track(ecrClient(fixed)).send(new GetAuthorizationTokenCommand({}));
    expect(passwordOf(out.authorizationData?.[0]?.authorizationToken)).toBe('fixed-password');
    expect(fixed.issuedPasswords()).toEqual(['fixed-password']);
  });

  it.each([
    ['eu-west-1', 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com'],
    ['cn-north-1', 'https://123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn'],
    ['us-gov-west-1', 'https://123456789012.dkr.ecr.us-gov-west-1.amazonaws.com'],
    ['us-iso-east-1', 'https://123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov'],
    ['us-isob-east-1', 'https://123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov'],
    ['eusc-de-east-1', 'https://123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu'],
  ])('answers for %s with that partition’s proxy endpoint', async (region, endpoint) => {
    const e = await emulator();
    const out = await track(ecrClient(e, { region })).send(new GetAuthorizationTokenCommand({}));
    expect(out.authorizationData?.map((d) => d.proxyEndpoint)).toEqual([endpoint]);
  });

  it('uses the configured account id and proxy endpoint', async () => {
    const account = await emulator({ accountId: '210987654321' });
    const out = await track(ecrClient(account, { region: 'ap-south-1' })).send(new GetAuthorizationTokenCommand({}));
    expect(out.authorizationData?.[0]?.proxyEndpoint).toBe('https://210987654321.dkr.ecr.ap-south-1.amazonaws.com');

    const proxied = await emulator({ proxyEndpoint: 'http://127.0.0.1:5000/{region}/{account}' });
    const out2 = await track(ecrClient(proxied)).send(new GetAuthorizationTokenCommand({ registryIds: ['111111111111'] }));
    expect(out2.authorizationData?.[0]?.proxyEndpoint).toBe('http://127.0.0.1:5000/us-east-1/111111111111');
  });

  it('answers one entry per registry id, all with the same token', async () => {
    const e = await emulator();
    const out = await track(ecrClient(e, { region: 'eu-west-1' })).send(
      new GetAuthorizationTokenCommand({ registryIds: ['111111111111', '222222222222'] }),
    );
    expect(out.authorizationData?.map((d) => d.proxyEndpoint)).toEqual([
      'https://111111111111.dkr.ecr.eu-west-1.amazonaws.com',
      'https://222222222222.dkr.ecr.eu-west-1.amazonaws.com',
    ]);
    expect(new Set(out.authorizationData?.map((d) => d.authorizationToken)).size).toBe(1);
  });

  it.each([
    ['an id that is not 12 digits', ['12345']],
    ['an empty list', []],
    ['more than 10 ids', Array.from({ length: 11 }, (_, i) => String(100000000000 + i))],
  ])('refuses %s with InvalidParameterException (10 ids pass)', async (_name, registryIds) => {
    const e = await emulator();
    const client = track(ecrClient(e, { maxAttempts: 1 }));
    const ten = Array.from({ length: 10 }, (_, i) => String(100000000000 + i));
    expect((await client.send(new GetAuthorizationTokenCommand({ registryIds: ten }))).authorizationData).toHaveLength(10);
    const error = await rejectionOf(() => client.send(new GetAuthorizationTokenCommand({ registryIds })));
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toMatch(/registryIds/);
  });
});

describe('ECR Public GetAuthorizationToken through the SDK', () => {
  it('hands out one token object without a proxy endpoint', async () => {
    const e = await emulator({ password: 'public-password', tokenTtlSeconds: 600 });
    const before = Date.now();
    const out = await track(ecrPublicClient(e)).send(new GetPublicAuthorizationTokenCommand({}));
    const after = Date.now();
    expect(Object.keys(out.authorizationData ?? {}).sort()).toEqual(['authorizationToken', 'expiresAt']);
    expect(passwordOf(out.authorizationData?.authorizationToken)).toBe('public-password');
    const expiresAt = out.authorizationData?.expiresAt?.getTime() ?? 0;
    expect(expiresAt).toBeGreaterThanOrEqual(before + 600_000 - 1);
    expect(expiresAt).toBeLessThanOrEqual(after + 600_000 + 1);
  });

  it('answers in us-east-1 only, as ECR Public does', async () => {
    const e = await emulator();
    const error = await rejectionOf(() => track(ecrPublicClient(e, { region: 'eu-west-1', maxAttempts: 1 })).send(new GetPublicAuthorizationTokenCommand({})));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toMatch(/valid region/);
  });
});

describe('authentication', () => {
  it('refuses a wrong secret with InvalidSignatureException, and counts the one request', async () => {
    const e = await emulator();
    const good = await track(ecrClient(e, { maxAttempts: 1 })).send(new GetAuthorizationTokenCommand({}));
    expect(good.authorizationData).toHaveLength(1);
    const credential = e.credentials[0];
    const error = await rejectionOf(() =>
      track(ecrClient(e, { maxAttempts: 1, credentials: { accessKeyId: credential?.accessKeyId ?? '', secretAccessKey: 'wrong' } })).send(
        new GetAuthorizationTokenCommand({}),
      ),
    );
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
    expect(e.stats().requests['ecr:GetAuthorizationToken']).toBe(2);
  });

  it('refuses an unknown access key with UnrecognizedClientException', async () => {
    const e = await emulator();
    const error = await rejectionOf(() =>
      track(ecrPublicClient(e, { maxAttempts: 1, credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' } })).send(
        new GetPublicAuthorizationTokenCommand({}),
      ),
    );
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.message).toBe('The security token included in the request is invalid.');
    expect(e.stats().requests).toEqual({ 'ecr:GetAuthorizationToken': 0, 'ecr-public:GetAuthorizationToken': 1, 'sts:AssumeRole': 0, 'sts:AssumeRoleWithWebIdentity': 0 });
  });

  it('accepts any of several credentials, and temporary ones only with their session token', async () => {
    const temporary = { accessKeyId: 'ASIATEMPORARY', secretAccessKey: 'temp-secret', sessionToken: 'session-token' };
    const e = await emulator({ credentials: [{ accessKeyId: 'AKIDONE', secretAccessKey: 'one' }, temporary] });
    expect((await track(ecrClient(e)).send(new GetAuthorizationTokenCommand({}))).authorizationData).toHaveLength(1);
    expect((await track(ecrClient(e, { credentials: temporary })).send(new GetAuthorizationTokenCommand({}))).authorizationData).toHaveLength(1);
    const error = await rejectionOf(() =>
      track(ecrClient(e, { maxAttempts: 1, credentials: { ...temporary, sessionToken: 'stale' } })).send(new GetAuthorizationTokenCommand({})),
    );
    expect(error.name).toBe('UnrecognizedClientException');
  });
});

describe('faults', () => {
  it('throttle: the SDK retries through two ThrottlingExceptions and succeeds', async () => {
    const e = await emulator();
    e.injectFault({ kind: 'throttle', count: 2 });
    const out = await track(ecrClient(e)).send(new GetAuthorizationTokenCommand({}));
    expect(out.authorizationData).toHaveLength(1);
    expect(out.$metadata.attempts).toBe(3);
    expect(e.stats().requests['ecr:GetAuthorizationToken']).toBe(3);
    expect(e.pendingFaults()).toEqual([]);
  }, 20_000); // The SDK's throttling back-off is random, up to about 3 s for two retries.

  it('throttle: without retries the caller sees ThrottlingException "Rate exceeded"', async () => {
    const e = await emulator();
    e.injectFault({ kind: 'throttle' });
    const client = track(ecrClient(e, { maxAttempts: 1 }));
    const error = await rejectionOf(() => client.send(new GetAuthorizationTokenCommand({})));
    expect([error.name, error.message]).toEqual(['ThrottlingException', 'Rate exceeded']);
    expect((await client.send(new GetAuthorizationTokenCommand({}))).authorizationData).toHaveLength(1);
  });

  it('server-error: 500 ServerException, then normal answers', async () => {
    const e = await emulator();
    e.injectFault({ kind: 'server-error' });
    const client = track(ecrPublicClient(e, { maxAttempts: 1 }));
    const error = await rejectionOf(() => client.send(new GetPublicAuthorizationTokenCommand({})));
    expect(error.name).toBe('ServerException');
    expect((error.$metadata as { httpStatusCode?: number }).httpStatusCode).toBe(500);
    expect((await client.send(new GetPublicAuthorizationTokenCommand({}))).authorizationData).toBeDefined();
  });

  it('reset: the connection drops without an answer; with retries the SDK recovers', async () => {
    const e = await emulator();
    e.injectFault({ kind: 'reset' });
    const error = await rejectionOf(() => track(ecrClient(e, { maxAttempts: 1 })).send(new GetAuthorizationTokenCommand({})));
    expect(`${error.name} ${error.message} ${String(error['code'])}`).toMatch(/ECONNRESET|socket hang up/);

    e.injectFault({ kind: 'reset' });
    const out = await track(ecrClient(e)).send(new GetAuthorizationTokenCommand({}));
    expect(out.$metadata.attempts).toBe(2);
    expect(e.stats().requests['ecr:GetAuthorizationToken']).toBe(3);
  });

  it('delay: the answer comes after the delay, normally; a client that stops waiting gives up', async () => {
    const e = await emulator();
    e.injectFault({ kind: 'delay', ms: 300 });
    const start = performance.now();
    const out = await track(ecrClient(e)).send(new GetAuthorizationTokenCommand({}));
    expect(performance.now() - start).toBeGreaterThanOrEqual(290);
    expect(out.$metadata.attempts).toBe(1);

    e.injectFault({ kind: 'delay', ms: 60_000 });
    const impatient = track(ecrClient(e, { maxAttempts: 1 }));
    const error = await rejectionOf(() =>
      impatient.send(new GetAuthorizationTokenCommand({}), { abortSignal: AbortSignal.timeout(200) }),
    );
    expect(error.name).toBe('AbortError');
    // stop() (in afterEach) ends the pending delay at once.
  });

  it('access-denied: AccessDeniedException in IAM wording, for each service', async () => {
    const e = await emulator({ accountId: '111122223333' });
    e.injectFault({ kind: 'access-denied', count: 2 });
    const error = await rejectionOf(() => track(ecrClient(e, { region: 'cn-north-1' })).send(new GetAuthorizationTokenCommand({})));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toBe(
      'User: arn:aws-cn:iam::111122223333:user/emulator is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action',
    );
    const publicError = await rejectionOf(() => track(ecrPublicClient(e)).send(new GetPublicAuthorizationTokenCommand({})));
    expect(publicError.message).toBe(
      'User: arn:aws:iam::111122223333:user/emulator is not authorized to perform: ecr-public:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr-public:GetAuthorizationToken action',
    );
    // Not retried by the SDK: one request each.
    expect(e.stats().requests).toEqual({ 'ecr:GetAuthorizationToken': 1, 'ecr-public:GetAuthorizationToken': 1, 'sts:AssumeRole': 0, 'sts:AssumeRoleWithWebIdentity': 0 });
  });

  it('clearFaults and reset drop pending faults; reset zeroes the stats', async () => {
    const e = await emulator();
    e.injectFault({ kind: 'throttle', count: 5 });
    e.clearFaults();
    const client = track(ecrClient(e, { maxAttempts: 1 }));
    expect((await client.send(new GetAuthorizationTokenCommand({}))).authorizationData).toHaveLength(1);
    e.injectFault({ kind: 'access-denied' });
    e.reset();
    expect(e.stats().requests['ecr:GetAuthorizationToken']).toBe(0);
    expect((await client.send(new GetAuthorizationTokenCommand({}))).authorizationData).toHaveLength(1);
    expect(e.stats().requests['ecr:GetAuthorizationToken']).toBe(1);
    e.resetStats();
    expect(e.stats().requests['ecr:GetAuthorizationToken']).toBe(0);
  });
});

describe('clock offset', () => {
  it.each([3600, -3600])(
    'with the emulator %i s off, the SDK corrects its clock and succeeds; expiresAt follows the emulator clock',
    async (offset) => {
      const e = await emulator({ clockOffsetSeconds: offset, tokenTtlSeconds: 600 });
      const client: ECRClient = track(ecrClient(e));
      const before = Date.now();
      const out = await client.send(new GetAuthorizationTokenCommand({}));
      const after = Date.now();
      // The first attempt is refused as out of date, the SDK reads the Date header and retries.
      expect(out.$metadata.attempts).toBe(2);
      expect(e.stats().requests['ecr:GetAuthorizationToken']).toBe(2);
      const expiresAt = out.authorizationData?.[0]?.expiresAt?.getTime() ?? 0;
      expect(expiresAt).toBeGreaterThanOrEqual(before + (offset + 600) * 1000 - 1);
      expect(expiresAt).toBeLessThanOrEqual(after + (offset + 600) * 1000 + 1);
    },
  );

  it('without retries the caller sees the clock-skew error', async () => {
    const e = await emulator({ clockOffsetSeconds: 3600 });
    const error = await rejectionOf(() => track(ecrClient(e, { maxAttempts: 1 })).send(new GetAuthorizationTokenCommand({})));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
  });

  it('can move the clock while running', async () => {
    const e = await emulator();
    const client = track(ecrClient(e, { maxAttempts: 1 }));
    expect((await client.send(new GetAuthorizationTokenCommand({}))).authorizationData).toHaveLength(1);
    e.setClockOffset(-7200);
    const error = await rejectionOf(() => client.send(new GetAuthorizationTokenCommand({})));
    expect(error.message).toMatch(/^Signature not yet current: /);
  });
});
