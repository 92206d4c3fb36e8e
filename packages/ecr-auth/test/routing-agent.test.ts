// RoutingAgent (src/routing-agent.ts), through which every request of the SDK clients goes when a proxy or extra CAs
// are configured: which agent a request takes, what each agent is given, what is reused and destroyed, and a
// proxy's refusal of a tunnel. Real traffic on 127.0.0.1 only: the emulator over HTTP and HTTPS (a CA of its own),
// the test forward proxy (test-support/forward-proxy.ts) and, for chosen refusals, a proxy that answers CONNECT
// with a given status. Each test has its negative control.
import type { Emulator } from '@ecr-auth/emulator';
import { NetworkError, type EcrAuthError, type EcrTokenProvider, type EcrTokenProviderOptions } from 'ecr-auth';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { providerFor, startTestEmulator } from '../../../test-support/emulator.ts';
import { startForwardProxy, type ForwardProxy } from '../../../test-support/forward-proxy.ts';
import { recordError } from '../../../test-support/leaks.ts';
import { makeTestCertificates, type TestCertificates } from '../../../test-support/tls-certs.ts';
import { needTools } from '../../../test-support/tools.ts';
import { parseProxyUrl, type ProxyChoice } from '../src/proxy-env.js';
import { RoutingAgent } from '../src/routing-agent.js';
import { secureContextWith } from '../src/secure-context.js';

const tools = needTools('openssl');
const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const NETWORK_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy', 'AWS_CA_BUNDLE'];

let certs: TestCertificates;
let httpEmulator: Emulator;
let httpsEmulator: Emulator;
let proxy: ForwardProxy;
const agents: RoutingAgent[] = [];
const providers: EcrTokenProvider[] = [];
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  if (tools.skip) return;
  certs = await makeTestCertificates();
  httpEmulator = await startTestEmulator();
  httpsEmulator = await startTestEmulator({ tls: { cert: certs.cert, key: certs.key } });
});

afterAll(async () => {
  if (tools.skip) return;
  await Promise.all([httpEmulator.stop(), httpsEmulator.stop()]);
  await certs.remove();
});

beforeEach(async () => {
  for (const name of NETWORK_VARIABLES) vi.stubEnv(name, undefined);
  proxy = await startForwardProxy();
});

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await Promise.all(providers.splice(0).map((p) => p.close()));
  await Promise.all([proxy.stop(), ...stops.splice(0).map((stop) => stop())]);
  vi.unstubAllEnvs();
});

/** A context builder that trusts the emulator's CA, counting how often it is asked for the context. */
function countedContext(): { build: () => SecureContext; calls: () => number } {
  let calls = 0;
  let context: SecureContext | undefined;
  return {
    build: () => {
      calls++;
      return (context ??= secureContextWith({ added: [certs.caPem], nodeExtra: [] }));
    },
    calls: () => calls,
  };
}

function agent(secure: boolean, route: (url: URL) => ProxyChoice | undefined, context?: () => SecureContext): RoutingAgent {
  const made = new RoutingAgent(secure, route, context);
  agents.push(made);
  return made;
}

const through = (proxyUrl: string) => (): ProxyChoice => parseProxyUrl(proxyUrl, 'the proxy option');
const direct = (): undefined => undefined;

interface Answer {
  status: number;
  socket: Socket;
  reusedSocket: boolean;
  /** The proxy URL the proxy agent reported in the request's `proxy` event, if any. */
  proxyEvents: string[];
}

/** One GET through `via`, the body read to its end (so that a kept-alive socket goes back to its pool). */
function get(via: http.Agent, url: string): Promise<Answer> {
  const proxyEvents: string[] = [];
  return new Promise<Answer>((resolve, reject) => {
    const request = (url.startsWith('https:') ? https : http).request(url, { agent: via, timeout: 10_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, socket: request.socket as Socket, reusedSocket: request.reusedSocket, proxyEvents }));
    });
    request.on('proxy', (event: { proxy: string }) => proxyEvents.push(event.proxy));
    request.on('timeout', () => request.destroy(new Error('no answer within 10 s')));
    request.on('error', reject);
    request.end();
  });
}

async function rejection(promise: Promise<unknown>): Promise<EcrAuthError> {
  try {
    await promise;
  } catch (error) {
    recordError(error);
    return error as EcrAuthError;
  }
  throw new Error('expected a rejection');
}

/** A port nothing listens on (just closed). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A proxy on 127.0.0.1 that answers every CONNECT with `status` and counts them. */
async function refusingProxy(status: number, reason: string): Promise<{ url: string; connects: string[] }> {
  const connects: string[] = [];
  const server = http.createServer((_request, response) => response.writeHead(405).end());
  server.on('connect', (request: http.IncomingMessage, socket: Socket) => {
    connects.push(request.url ?? '');
    socket.on('error', () => undefined);
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connects };
}

function track(provider: EcrTokenProvider): EcrTokenProvider {
  providers.push(provider);
  return provider;
}

/** A provider through `proxyUrl` to `endpoint`, retrying at once (5xx refusals are retried, others not). */
function viaProxy(proxyUrl: string, endpoint: string, options: EcrTokenProviderOptions = {}): EcrTokenProvider {
  return track(providerFor(httpEmulator, { endpoint, proxy: proxyUrl, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 }, ...options }));
}

describe.skipIf(tools.skip)(tools.title('RoutingAgent: the context of the extra CAs'), () => {
  it('is built on the first TLS connection only, never for plain HTTP; without it the emulator is not trusted (control)', async () => {
    const plain = countedContext();
    expect((await get(agent(false, direct, plain.build), `${httpEmulator.url}/`)).status).toBeGreaterThan(0);
    expect(plain.calls()).toBe(0);

    const tls = countedContext();
    const secure = agent(true, direct, tls.build);
    expect(tls.calls()).toBe(0); // nothing is built before a request
    expect((await get(secure, `${httpsEmulator.url}/`)).status).toBeGreaterThan(0);
    expect(tls.calls()).toBeGreaterThan(0);

    await expect(get(agent(true, direct), `${httpsEmulator.url}/`)).rejects.toThrow(/self-signed certificate|unable to verify/);
  });

  it('is built for plain HTTP through an https:// proxy (the TLS connection to the proxy), and trusted there', async () => {
    const tlsProxy = await startForwardProxy({ tls: { cert: certs.cert, key: certs.key } });
    stops.push(() => tlsProxy.stop());
    const context = countedContext();
    expect((await get(agent(false, through(tlsProxy.url), context.build), `${httpEmulator.url}/`)).status).toBeGreaterThan(0);
    expect(context.calls()).toBeGreaterThan(0);
    expect(tlsProxy.counts()).toEqual({ [`127.0.0.1:${httpEmulator.port}`]: 1 });
    // Control: without the context the proxy itself is not trusted.
    await expect(get(agent(false, through(tlsProxy.url)), `${httpEmulator.url}/`)).rejects.toThrow(/self-signed certificate|unable to verify/);
  });
});

describe.skipIf(tools.skip)(tools.title('RoutingAgent: connections kept and reused'), () => {
  it('a direct HTTPS connection is kept alive and reused by the next request (and a plain HTTP one)', async () => {
    const secure = agent(true, direct, countedContext().build);
    const first = await get(secure, `${httpsEmulator.url}/`);
    const second = await get(secure, `${httpsEmulator.url}/`);
    expect(first.reusedSocket).toBe(false);
    expect(second.reusedSocket).toBe(true);
    expect(second.socket).toBe(first.socket);

    const plain = agent(false, direct);
    const a = await get(plain, `${httpEmulator.url}/`);
    const b = await get(plain, `${httpEmulator.url}/`);
    expect(b.socket).toBe(a.socket);
    // Control: another agent, another connection.
    expect((await get(agent(true, direct, countedContext().build), `${httpsEmulator.url}/`)).reusedSocket).toBe(false);
  });

  it('one tunnel per proxy: two requests through the same agent share one CONNECT; another agent opens its own', async () => {
    const target = `127.0.0.1:${httpsEmulator.port}`;
    const secure = agent(true, through(proxy.url), countedContext().build);
    const first = await get(secure, `${httpsEmulator.url}/`);
    const second = await get(secure, `${httpsEmulator.url}/`);
    expect(proxy.connects).toEqual([target]);
    expect(second.socket).toBe(first.socket);
    await get(agent(true, through(proxy.url), countedContext().build), `${httpsEmulator.url}/`);
    expect(proxy.connects).toEqual([target, target]); // control
  });

  it('through the real SDK: a provider fetching twice through HTTPS_PROXY opens one tunnel; a second provider its own', async () => {
    const target = `127.0.0.1:${httpsEmulator.port}`;
    const options = { proxy: proxy.url, caBundle: certs.caPem, retry: { retries: 0 } };
    const provider = track(providerFor(httpsEmulator, options));
    await provider.getToken(REGISTRY);
    await provider.getToken(REGISTRY, { forceRefresh: true });
    expect(httpsEmulator.stats().requests['ecr:GetAuthorizationToken']).toBeGreaterThanOrEqual(2);
    expect(proxy.connects).toEqual([target]);
    await track(providerFor(httpsEmulator, options)).getToken(REGISTRY);
    expect(proxy.connects).toEqual([target, target]); // control
  });

  it('destroy() closes the kept connections, direct and through the proxy', async () => {
    const secure = agent(true, direct, countedContext().build);
    const tunnelled = agent(true, through(proxy.url), countedContext().build);
    const plain = agent(false, through(proxy.url));
    const sockets = [
      (await get(secure, `${httpsEmulator.url}/`)).socket,
      (await get(tunnelled, `${httpsEmulator.url}/`)).socket,
      (await get(plain, `${httpEmulator.url}/`)).socket,
    ];
    expect(sockets.map((socket) => socket.destroyed)).toEqual([false, false, false]); // control: kept alive
    for (const routing of [secure, tunnelled, plain]) routing.destroy();
    expect(sockets.map((socket) => socket.destroyed)).toEqual([true, true, true]);
  });
});

describe.skipIf(tools.skip)(tools.title('RoutingAgent: what the proxy agents are given'), () => {
  it.each([
    ['a user and a password', 'proxy-user:proxy-secret-42', 'proxy-user:proxy-secret-42'],
    ['a user alone', 'only-user', 'only-user:'],
    ['a password alone', ':only-secret', ':only-secret'],
  ])('%s: sent as Proxy-Authorization, never kept in the URL the agents hold (and report)', async (_, userInfo, credentials) => {
    const proxyUrl = `http://${userInfo}@127.0.0.1:${proxy.port}`;
    const tunnelled = await get(agent(true, through(proxyUrl), countedContext().build), `${httpsEmulator.url}/`);
    const forwarded = await get(agent(false, through(proxyUrl)), `${httpEmulator.url}/`);
    const basic = `Basic ${Buffer.from(credentials).toString('base64')}`;
    expect(proxy.authorizations).toEqual([basic, basic]);
    expect([...tunnelled.proxyEvents, ...forwarded.proxyEvents]).toEqual([`${proxy.url}/`, `${proxy.url}/`]);
  });

  it('a proxy URL without credentials sends no Proxy-Authorization (control)', async () => {
    await get(agent(true, through(proxy.url), countedContext().build), `${httpsEmulator.url}/`);
    expect(proxy.authorizations).toEqual([]);
  });

  it('an IPv6 host is routed as [host]:port (what NO_PROXY rules and messages see)', async () => {
    const asked: string[] = [];
    const routing = agent(false, (url) => {
      asked.push(url.href);
      return undefined;
    });
    const port = await closedPort();
    await expect(get(routing, `http://[::1]:${port}/`)).rejects.toThrow(/ECONNREFUSED|EADDRNOTAVAIL|ENETUNREACH/);
    expect(asked).toEqual([`http://[::1]:${port}/`]);
  });
});

describe.skipIf(tools.skip)(tools.title('RoutingAgent: a proxy that refuses the tunnel'), () => {
  const refusal = (proxyUrl: string, target: string, status: string): string =>
    `ecr-auth: the proxy ${proxyUrl} (from the proxy option) refused to open a tunnel to ${target} (HTTP ${status}); check that the proxy allows CONNECT to AWS, or add the host to NO_PROXY`;

  it('403 (not allowed): a NetworkError with the status, not retried', async () => {
    // The test proxy refuses any host but 127.0.0.1 (and records it): no request leaves the machine.
    const error = await rejection(viaProxy(proxy.url, 'https://ecr.example.invalid').getToken(REGISTRY));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(refusal(proxy.url, 'ecr.example.invalid:443', '403 Forbidden'));
    expect(error).toMatchObject({ code: 'ECR_AUTH_NETWORK', awsErrorCode: 'ProxyConnectRefused', httpStatusCode: 403, retryable: false });
    expect(proxy.connects).toEqual(['ecr.example.invalid:443']);
  });

  it('502 (the proxy could not reach the target): retryable, so retried, then the same typed error', async () => {
    const port = await closedPort();
    const error = await rejection(viaProxy(proxy.url, `https://127.0.0.1:${port}`).getToken(REGISTRY));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(refusal(proxy.url, `127.0.0.1:${port}`, '502 Bad Gateway'));
    expect(error).toMatchObject({ code: 'ECR_AUTH_NETWORK', awsErrorCode: 'ProxyConnectRefused', httpStatusCode: 502, retryable: true });
    expect(proxy.connects).toEqual([`127.0.0.1:${port}`, `127.0.0.1:${port}`, `127.0.0.1:${port}`]); // retries: 2
  });

  it.each([
    [500, 'Internal Server Error', true],
    [499, 'Client Closed Request', false],
  ])('%i %s: retryable %s', async (status, reason, retryable) => {
    const refusing = await refusingProxy(status, reason);
    const error = await rejection(viaProxy(refusing.url, 'https://ecr.example.invalid').getToken(REGISTRY));
    expect(error.message).toBe(refusal(refusing.url, 'ecr.example.invalid:443', `${status} ${reason}`));
    expect(error).toMatchObject({ httpStatusCode: status, retryable });
    expect(refusing.connects).toHaveLength(retryable ? 3 : 1);
  });

  it('a status line without a reason phrase: the status alone', async () => {
    const refusing = await refusingProxy(503, '');
    const error = await rejection(viaProxy(refusing.url, 'https://ecr.example.invalid', { retry: { retries: 0 } }).getToken(REGISTRY));
    expect(error.message).toBe(refusal(refusing.url, 'ecr.example.invalid:443', '503'));
  });
});
