// ecr-auth-credential-provider end to end: the built executable, over real HTTP to the emulator, as the kubelet
// runs it (one request on stdin, one response on stdout, exit 1 with one stderr line otherwise).
import { createServer, type Server, type Socket } from 'node:net';
import { DEFAULT_CREDENTIALS, type Emulator } from '@ecr-auth/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { cleanupHomes, isolatedEnv, killAll, makeHome, writeConfig } from '../../cli/test/support.ts';
import { cacheDir, cacheScope, writeCachedToken } from '../../cli/src/token-cache.ts';
import { resolveTarget, scopeOf } from '../../cli/src/token-source.ts';
import { serviceAccountEnv } from '../src/service-account.ts';
import { PEER_REGISTRY_CASES } from '../../ecr-auth/test/fixtures/peer-registry-cases.ts';
import { expectRefusal, goSeconds, provider, request, V1, V1BETA1 } from './support.ts';

const PASSWORD = 'provider-password-71c2aa09';
const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const calls = (emulator: Emulator) => emulator.stats().requests['ecr:GetAuthorizationToken'] ?? 0;
const publicCalls = (emulator: Emulator) => emulator.stats().requests['ecr-public:GetAuthorizationToken'] ?? 0;

describe('ecr-auth-credential-provider', () => {
  let emulator: Emulator;
  let home: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    emulator = await startTestEmulator({ password: PASSWORD, credentials: [DEFAULT_CREDENTIALS] });
  });
  afterAll(async () => {
    await emulator.stop();
  });
  beforeEach(async () => {
    emulator.reset();
    home = await makeHome();
    env = isolatedEnv(home, emulator);
  });
  afterEach(async () => {
    await killAll();
    await cleanupHomes();
  });

  for (const apiVersion of [V1, V1BETA1]) {
    it(`answers a ${apiVersion} request with the same apiVersion, a Registry key and a cacheDuration`, async () => {
      const result = await provider(request(`${HOST}/team/app:v1`, {}, apiVersion), env);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      const response = JSON.parse(result.stdout);
      expect(response).toEqual({
        apiVersion,
        kind: 'CredentialProviderResponse',
        cacheKeyType: 'Registry',
        cacheDuration: expect.stringMatching(/^\d+h\d+m\d+s$/),
        auth: { [HOST]: { username: 'AWS', password: PASSWORD } },
      });
      expect(calls(emulator)).toBe(1);
    });
  }

  it('cacheDuration: until the refresh point of a 12 h token, never past its safety margin; "0s" never for a usable token', async () => {
    const result = await provider(request(`${HOST}/app`), env);
    const seconds = goSeconds(JSON.parse(result.stdout).cacheDuration);
    // 12 h token, refresh 30 min ahead: 11h30m, less the seconds of the round trip.
    expect(seconds).toBeLessThanOrEqual(11.5 * 3600);
    expect(seconds).toBeGreaterThan(11.5 * 3600 - 60);
    // From the cache, a moment later: no longer.
    const again = await provider(request(`${HOST}/app`), env);
    expect(goSeconds(JSON.parse(again.stdout).cacheDuration)).toBeLessThanOrEqual(seconds);
    expect(calls(emulator)).toBe(1);
  });

  it('cacheDuration with a short-lived token: inside its life, short of the safety margin', async () => {
    const short = await startTestEmulator({ password: PASSWORD, tokenTtlSeconds: 600 });
    try {
      const result = await provider(request(`${HOST}/app`), { ...env, AWS_ENDPOINT_URL_ECR: short.url });
      expect(result.code, result.stderr).toBe(0);
      const seconds = goSeconds(JSON.parse(result.stdout).cacheDuration);
      // 10 min token: margins scale down to a quarter (safety) and a half (refresh) of its life.
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(300);
    } finally {
      await short.stop();
    }
  });

  it('every partition, FIPS and dual-stack host; ECR Public from us-east-1', async () => {
    const hosts = [
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      '123456789012.dkr.ecr-fips.us-east-2.amazonaws.com',
      '123456789012.dkr-ecr.ap-southeast-2.on.aws',
      '123456789012.dkr-ecr-fips.us-west-2.on.aws',
      '123456789012.dkr.ecr.us-gov-west-1.amazonaws.com',
      '210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn',
      '210987654321.dkr-ecr.cn-northwest-1.on.amazonwebservices.com.cn',
      '123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu',
      '123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov',
      '123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov',
      '123456789012.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk',
      '123456789012.dkr.ecr.us-isof-south-1.csp.hci.ic.gov',
      'public.ecr.aws',
      'ecr-public.aws.com',
    ];
    for (const host of hosts) {
      const result = await provider(request(`${host}/team/app@sha256:${'a'.repeat(64)}`), env);
      expect(result.code, `${host}: ${result.stderr}`).toBe(0);
      expect(JSON.parse(result.stdout).auth).toEqual({ [host]: { username: 'AWS', password: PASSWORD } });
    }
    // One token per region (and one for ECR Public), whatever the host's form.
    expect(publicCalls(emulator)).toBe(1);
    expect(calls(emulator)).toBe(hosts.length - 2);
  });

  it('a custom host (a pull-through cache, with a port) from the configuration file', async () => {
    await writeConfig(home, { registries: { 'mirror.example.test:5000': { region: 'eu-central-1', accountId: '123456789012' } } });
    const result = await provider(request('mirror.example.test:5000/library/nginx:1.27'), env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).auth).toEqual({ 'mirror.example.test:5000': { username: 'AWS', password: PASSWORD } });
    // Not mapped: refused.
    expectRefusal(await provider(request('other.example.test/library/nginx'), env), /configuration file/);
  });

  it('20 images of 5 registries of one region across 20 execs: one API call', async () => {
    const accounts = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555'];
    const images = Array.from({ length: 20 }, (_, i) => `${accounts[i % 5]}.dkr.ecr.eu-west-1.amazonaws.com/app-${i}:v${i}`);
    // As after a kubelet restart: every exec at once.
    const results = await Promise.all(images.map((image) => provider(request(image), env)));
    for (const [i, result] of results.entries()) {
      expect(result.code, result.stderr).toBe(0);
      expect(Object.keys(JSON.parse(result.stdout).auth)).toEqual([images[i]?.split('/')[0]]);
    }
    expect(calls(emulator)).toBe(1);
  });

  it("kubernetes/cloud-provider-aws's own test table, through the executable: exactly the ECR registries get credentials", async () => {
    const cases = PEER_REGISTRY_CASES.filter((c) => c.source.startsWith('kubernetes/cloud-provider-aws'));
    expect(cases.length).toBeGreaterThan(20);
    const results = [];
    for (let i = 0; i < cases.length; i += 8) {
      results.push(...(await Promise.all(cases.slice(i, i + 8).map(async (c) => ({ c, result: await provider(request(c.input), env) })))));
    }
    for (const { c, result } of results) {
      if (c.ecr) {
        expect(result.code, `${c.input}: ${result.stderr}`).toBe(0);
        expect(Object.values(JSON.parse(result.stdout).auth)).toEqual([{ username: 'AWS', password: PASSWORD }]);
      } else {
        expectRefusal(result, /./);
      }
    }
  }, 60_000);

  describe('a cached token due for renewal', () => {
    const OLD = 'old-cached-password-5d1e';
    /** A cached token of HOST's scope that expires in `minutes` (fetched 12 h before that). */
    const cacheTokenExpiringIn = (minutes: number) => {
      const now = Date.now();
      const expiresAt = now + minutes * 60_000;
      writeCachedToken(cacheDir(env), cacheScope({ kind: 'private', region: 'us-east-1' }, env), {
        username: 'AWS',
        password: OLD,
        registry: HOST,
        region: 'us-east-1',
        accountId: '123456789012',
        kind: 'private',
        fetchedAt: expiresAt - 12 * 3_600_000,
        expiresAt,
        clockOffsetMs: 0,
      });
    };

    it('is renewed on the way (one call), and the new token is cached for its full time', async () => {
      cacheTokenExpiringIn(15);
      const result = await provider(request(`${HOST}/app`), env);
      expect(result.code, result.stderr).toBe(0);
      const response = JSON.parse(result.stdout);
      expect(response.auth[HOST].password).toBe(PASSWORD);
      expect(goSeconds(response.cacheDuration)).toBeGreaterThan(11 * 3600);
      expect(calls(emulator)).toBe(1);
    });

    it('a failed renewal serves the still-valid token until its safety margin; the next exec does not ask again (cooldown)', async () => {
      cacheTokenExpiringIn(15);
      emulator.injectFault({ kind: 'server-error', count: 100 });
      const result = await provider(request(`${HOST}/app`), env);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      const response = JSON.parse(result.stdout);
      expect(response.auth[HOST].password).toBe(OLD);
      // 15 min left, 5 min safety margin: at most 10 min.
      const seconds = goSeconds(response.cacheDuration);
      expect(seconds).toBeLessThanOrEqual(600);
      expect(seconds).toBeGreaterThan(500);
      const asked = calls(emulator);
      expect(asked).toBeGreaterThanOrEqual(1);
      const again = await provider(request(`${HOST}/other`), env);
      expect(JSON.parse(again.stdout).auth[HOST].password).toBe(OLD);
      expect(calls(emulator)).toBe(asked);
    });

    it('a token inside its safety margin is never served: with ECR failing, exit 1', async () => {
      cacheTokenExpiringIn(3);
      emulator.injectFault({ kind: 'access-denied', count: 100 });
      const result = await provider(request(`${HOST}/app`), env);
      expectRefusal(result, /access denied|AccessDenied/i);
      expect(result.stderr).not.toContain(OLD);
    });
  });

  describe('refusals: exit 1, one line on stderr, nothing on stdout', () => {
    const cases: [string, string, RegExp][] = [
      ['a lookalike host', request(`${HOST}.evil.test/app`), /not an ECR registry host/],
      ['a lookalike prefix', request(`evil.test/${HOST}/app`), /not an ECR registry host/],
      ['a wrong-partition region', request('123456789012.dkr.ecr.cn-north-1.amazonaws.com/app'), /does not belong to the partition/],
      ['a port other than 443', request(`${HOST}:5000/app`), /ECR registry/],
      ['user information before the host', request(`user@${HOST}/app`), /user information/],
      ['a host hidden behind @', request(`${HOST}\\@evil.test/app`), /user information/],
      ['a fragment in the host', request(`${HOST}#x/app`), /not a valid host name/],
      ['malformed JSON', '{"apiVersion":', /not valid JSON/],
      ['nothing', '', /no request on stdin/],
      ['an array', '[]', /JSON object/],
      ['a wrong kind', JSON.stringify({ apiVersion: V1, kind: 'CredentialProviderResponse', image: `${HOST}/app` }), /kind must be/],
      ['a wrong apiVersion', JSON.stringify({ apiVersion: 'credentialprovider.kubelet.k8s.io/v1alpha1', kind: 'CredentialProviderRequest', image: `${HOST}/app` }), /unsupported apiVersion/],
      ['no image', JSON.stringify({ apiVersion: V1, kind: 'CredentialProviderRequest' }), /no "image"/],
      ['an unknown field', request(`${HOST}/app`, { auth: {} }), /unknown field "auth"/],
      ['an oversize request', request(`${HOST}/app`, { serviceAccountAnnotations: { big: 'x'.repeat(300_000) } }), /larger than/],
    ];
    for (const [what, stdin, pattern] of cases) {
      it(what, async () => {
        expectRefusal(await provider(stdin, env), pattern);
        expect(calls(emulator)).toBe(0);
      });
    }

    it('a request that names a secret never echoes it', async () => {
      const result = await provider(request(`${HOST}.evil.test/app`, { serviceAccountToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA' }), env);
      expectRefusal(result, /not an ECR registry host/);
      expect(result.stderr).not.toContain('c2lnbmF0dXJlLXNlY3JldA');
    });
  });

  describe('no network: one clear line well before the kubelet kills it (60 s)', () => {
    let blackhole: Server;
    let blackholePort = 0;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      // Accepts connections and never answers: a network that hangs.
      blackhole = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
      blackholePort = (blackhole.address() as { port: number }).port;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackhole.close(resolve));
    });

    it('a network that never answers: bounded by ECR_AUTH_PROVIDER_TIMEOUT_MS', async () => {
      const result = await provider(request(`${HOST}/app`), { ...env, AWS_ENDPOINT_URL_ECR: `http://127.0.0.1:${blackholePort}`, ECR_AUTH_PROVIDER_TIMEOUT_MS: '2000' });
      expectRefusal(result, /./);
      expect(result.ms).toBeLessThan(5_000);
    });

    it('the default deadline (20 s) ends it well before 60 s', async () => {
      const result = await provider(request(`${HOST}/app`), { ...env, AWS_ENDPOINT_URL_ECR: `http://127.0.0.1:${blackholePort}` }, 40_000);
      expectRefusal(result, /./);
      expect(result.ms).toBeLessThan(25_000);
    }, 45_000);

    it('connection refused: at once', async () => {
      const result = await provider(request(`${HOST}/app`), { ...env, AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:9' });
      expectRefusal(result, /could not reach ECR/);
      expect(result.ms).toBeLessThan(10_000);
    });
  });

  describe('service-account token mode', () => {
    // A token shaped as the kubelet's (header.claims.signature); STS would verify it.
    const claims = Buffer.from(JSON.stringify({ sub: 'system:serviceaccount:apps:puller', aud: ['sts.amazonaws.com'] })).toString('base64url');
    const token = `eyJhbGciOiJSUzI1NiJ9.${claims}.c2lnbmF0dXJl`;

    it('a token with no role anywhere: the node default credentials, as without a token (and the same cache)', async () => {
      const first = await provider(request(`${HOST}/app`, { serviceAccountToken: token, serviceAccountAnnotations: {} }), env);
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout).auth[HOST].password).toBe(PASSWORD);
      const plain = await provider(request(`${HOST}/app`), env);
      expect(plain.code).toBe(0);
      expect(calls(emulator)).toBe(1);
    });

    it("the cache is per role and service account: the fast path serves a role's cached token to its service account only", async () => {
      const role = 'arn:aws:iam::123456789012:role/puller';
      const subject = 'system:serviceaccount:apps:puller';
      // The scope TokenSource writes with the assumed role's keys is the one the fast path reads (placeholders).
      const target = resolveTarget(`${HOST}/app`, {}, {}, env);
      const written = scopeOf({ ...target, settings: { region: 'us-east-1' } }, serviceAccountEnv(env, { roleArn: role, subject }, { accessKeyId: 'ASIAROLEKEY', secretAccessKey: 's', sessionToken: 't' }));
      expect(written).toEqual(cacheScope({ kind: 'private', region: 'us-east-1' }, serviceAccountEnv(env, { roleArn: role, subject })));
      const now = Date.now();
      writeCachedToken(cacheDir(env), written as NonNullable<typeof written>, {
        username: 'AWS',
        password: 'role-password-9a7b',
        registry: HOST,
        region: 'us-east-1',
        accountId: '123456789012',
        kind: 'private',
        fetchedAt: now,
        expiresAt: now + 12 * 3_600_000,
        clockOffsetMs: 0,
      });
      const noSts = { ...env, AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9', ECR_AUTH_PROVIDER_TIMEOUT_MS: '5000' };
      const annotations = { 'eks.amazonaws.com/ecr-role-arn': role };
      const served = await provider(request(`${HOST}/app`, { serviceAccountToken: token, serviceAccountAnnotations: annotations }), noSts);
      expect(served.code, served.stderr).toBe(0);
      expect(JSON.parse(served.stdout).auth[HOST].password).toBe('role-password-9a7b');
      // Another service account naming the same role: STS must be asked (here unreachable), never the cache.
      const otherToken = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'system:serviceaccount:dev:intruder' })).toString('base64url')}.c2lnbmF0dXJl`;
      expectRefusal(await provider(request(`${HOST}/app`, { serviceAccountToken: otherToken, serviceAccountAnnotations: annotations }), noSts), /could not assume role/);
      // The same service account naming another role: likewise.
      expectRefusal(
        await provider(request(`${HOST}/app`, { serviceAccountToken: token, serviceAccountAnnotations: { 'eks.amazonaws.com/ecr-role-arn': 'arn:aws:iam::123456789012:role/other' } }), noSts),
        /could not assume role/,
      );
      // No token: the node's own scope, not the role's.
      const node = await provider(request(`${HOST}/app`), noSts);
      expect(JSON.parse(node.stdout).auth[HOST].password).toBe(PASSWORD);
      expect(calls(emulator)).toBe(1);
    });

    it('a role that is not an IAM role ARN: refused, naming where it came from', async () => {
      const result = await provider(request(`${HOST}/app`, { serviceAccountToken: token, serviceAccountAnnotations: { 'eks.amazonaws.com/ecr-role-arn': 'not-a-role' } }), env);
      expectRefusal(result, /annotation eks\.amazonaws\.com\/ecr-role-arn: "not-a-role" is not an IAM role ARN/);
    });

    it('with a role and STS unreachable: one clear line, no ECR call (against the emulator STS: service-account.test.ts)', async () => {
      const result = await provider(
        request(`${HOST}/app`, { serviceAccountToken: token, serviceAccountAnnotations: { 'eks.amazonaws.com/ecr-role-arn': 'arn:aws:iam::123456789012:role/puller' } }),
        { ...env, AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9', ECR_AUTH_PROVIDER_TIMEOUT_MS: '5000' },
      );
      expectRefusal(result, /could not assume role arn:aws:iam::123456789012:role\/puller \(from the annotation\) with the service account token/);
      expect(result.stderr).not.toContain('c2lnbmF0dXJl');
      expect(calls(emulator)).toBe(0);
    });
  });
});
