// DirectEcrClient on its own, against a plain HTTP server on 127.0.0.1: the clock offset taken from the answer's
// Date as the SDK takes it (only past 5 minutes), the signing time following it, kept-alive connections and
// destroy(), and the bound on the answer's size. (test/direct-client.test.ts compares whole fetches with the
// SDK's path.)
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCertificates } from '../../../test-support/tls-certs.ts';
import { needTools } from '../../../test-support/tools.ts';
import { DirectEcrClient } from './direct-client.js';
import { networkSetup } from './request-handler.js';

const openssl = needTools('openssl');
const NO_NETWORK_SETUP = { proxyFor: () => undefined, ca: undefined, secureContext: undefined };
const GOOD = '{"authorizationData":[{"authorizationToken":"QVdTOnB3","expiresAt":2000000000}]}';

interface Answer {
  status?: number;
  body?: string;
  /** Milliseconds to add to the real clock for the Date header. */
  dateOffsetMs?: number;
}

const servers: Server[] = [];
const clients: DirectEcrClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A server answering each request with the next of `answers` (the last one repeats). */
async function serve(...answers: Answer[]) {
  const requests: IncomingHttpHeaders[] = [];
  const sockets = new Set<Socket>();
  let closed = 0;
  const server = createServer((req, res) => {
    const answer = answers[Math.min(requests.length, answers.length - 1)] ?? {};
    requests.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.sendDate = false;
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/x-amz-json-1.1', date: new Date(Date.now() + (answer.dateOffsetMs ?? 0)).toUTCString() });
      res.end(answer.body ?? GOOD);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => closed++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const client = new DirectEcrClient(
    { endpoint: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } },
    NO_NETWORK_SETUP,
  );
  clients.push(client);
  return { client, requests, connections: () => sockets.size, closed: () => closed };
}

const signal = () => AbortSignal.timeout(5_000);
/** The signing time of a request, from its x-amz-date. */
const signedAt = (headers: IncomingHttpHeaders | undefined) =>
  Date.parse(String(headers?.['x-amz-date']).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
const MINUTE = 60_000;

describe('DirectEcrClient', () => {
  it('keeps its clock while the server’s Date is within 5 minutes of it, and takes the server’s past that', async () => {
    const near = await serve({ dateOffsetMs: 4 * MINUTE + 50_000 });
    await near.client.getAuthorizationToken(signal());
    expect(near.client.config.systemClockOffset).toBe(0);
    const far = await serve({ dateOffsetMs: 5 * MINUTE + 10_000 }, { dateOffsetMs: 5 * MINUTE + 10_000 });
    await far.client.getAuthorizationToken(signal());
    // The Date header has one-second resolution.
    expect(Math.abs(far.client.config.systemClockOffset - (5 * MINUTE + 10_000))).toBeLessThanOrEqual(1_000);
    // The next request is signed on the corrected clock.
    await far.client.getAuthorizationToken(signal());
    expect(Math.abs(signedAt(far.requests[1]) - (Date.now() + 5 * MINUTE + 10_000))).toBeLessThanOrEqual(2_000);
    // Negative control: the first request was signed on our own clock.
    expect(Math.abs(signedAt(far.requests[0]) - Date.now())).toBeLessThanOrEqual(2_000);
  });

  it('says on an error whether its Date corrected the clock, as the SDK does (once: the next error finds it corrected)', async () => {
    const skewed = await serve({ status: 403, body: '{"__type":"InvalidSignatureException","message":"Signature expired"}', dateOffsetMs: -20 * MINUTE });
    const first = await skewed.client.getAuthorizationToken(signal()).catch((error: unknown) => error);
    expect(first).toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403, clockSkewCorrected: true } });
    const second = await skewed.client.getAuthorizationToken(signal()).catch((error: unknown) => error);
    expect((second as { $metadata: object }).$metadata).not.toHaveProperty('clockSkewCorrected');
  });

  it('keeps its connection alive between calls, and destroy() closes it', async () => {
    const server = await serve({});
    await server.client.getAuthorizationToken(signal());
    await server.client.getAuthorizationToken(signal());
    expect(server.connections()).toBe(1);
    expect(server.closed()).toBe(0);
    server.client.destroy();
    await expect.poll(() => server.closed(), { timeout: 2_000 }).toBe(1);
  });

  it('reads an answer of up to 1 MiB, and refuses a larger one as a deserialization error', async () => {
    const padded = (size: number) => GOOD.slice(0, -1) + ' '.repeat(size - GOOD.length) + '}';
    const fits = await serve({ body: padded(1024 * 1024) });
    expect((await fits.client.getAuthorizationToken(signal())).authorizationToken).toBe('QVdTOnB3');
    const over = await serve({ body: padded(1024 * 1024 + 1) });
    const error = (await over.client.getAuthorizationToken(signal()).catch((e: unknown) => e)) as { name: string; message: string; $metadata: object };
    expect(error).toMatchObject({ name: 'ResponseTooLarge', message: 'the answer exceeds 1048576 bytes' });
    expect(error.$metadata).toEqual({ httpStatusCode: 200, requestId: undefined });
  });

  it('sends the user agent unsigned and the target signed', async () => {
    const server = await serve({});
    await server.client.getAuthorizationToken(signal());
    const [headers] = server.requests;
    expect(headers?.['user-agent']).toBe(`ecr-auth node/${process.versions.node}`);
    expect(headers?.['authorization']).toContain('SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target,');
    expect(headers?.['content-length']).toBe('2');
    expect(headers?.['host']).toBe(`127.0.0.1:${new URL(`http://${headers?.['host']}`).port}`);
  });

  it('connects to an IPv6 literal endpoint by its address, not as a name to look up', async () => {
    // Nothing listens on port 9 of ::1: refused, or unreachable where the machine has no IPv6; never a DNS lookup
    // of "[::1]" (ENOTFOUND), which is what a host name with its brackets would be.
    const client = new DirectEcrClient({ endpoint: new URL('http://[::1]:9'), region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } }, NO_NETWORK_SETUP);
    clients.push(client);
    const error = (await client.getAuthorizationToken(signal()).catch((e: unknown) => e)) as { code?: string };
    expect(error.code).toMatch(/^(ECONNREFUSED|EADDRNOTAVAIL|ENETUNREACH|EHOSTUNREACH|EAFNOSUPPORT)$/);
  });

  it('fails a connection dropped in the middle of the answer at once, rather than waiting for it', async () => {
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': '1000' });
      res.write('{"authorizationData":[');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    const client = new DirectEcrClient({ endpoint: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } }, NO_NETWORK_SETUP);
    clients.push(client);
    const started = Date.now();
    const error = (await client.getAuthorizationToken(AbortSignal.timeout(3_000)).catch((e: unknown) => e)) as { code?: string; name?: string };
    expect(error.code).toBe('ECONNRESET');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it.skipIf(openssl.skip)(openssl.title('names the host whose certificate it does not trust'), async () => {
    const certs = await makeTestCertificates();
    try {
      const server = createHttpsServer({ cert: certs.cert, key: certs.key }, (req, res) => res.end(GOOD));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      const port = (server.address() as AddressInfo).port;
      const client = new DirectEcrClient({ endpoint: new URL(`https://127.0.0.1:${port}`), region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } }, NO_NETWORK_SETUP);
      clients.push(client);
      const error = (await client.getAuthorizationToken(signal()).catch((e: unknown) => e)) as Error;
      expect(error.message).toContain(`the TLS certificate of 127.0.0.1:${port} is not trusted`);
      // Negative control: trusting the test CA, the same server answers.
      const trusting = new DirectEcrClient(
        { endpoint: new URL(`https://127.0.0.1:${port}`), region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } },
        await networkSetup({ caBundle: certs.caPem }, {}),
      );
      clients.push(trusting);
      expect((await trusting.getAuthorizationToken(signal())).authorizationToken).toBe('QVdTOnB3');
    } finally {
      await certs.remove();
    }
  });

  it('stops at its signal', async () => {
    const server = await serve({});
    const stop = new AbortController();
    stop.abort();
    await expect(server.client.getAuthorizationToken(stop.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(0);
  });
});
