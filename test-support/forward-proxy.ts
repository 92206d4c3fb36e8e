// A logging forward proxy on 127.0.0.1 for tests: plain HTTP forwarding (absolute-URI requests) and CONNECT
// tunnels, counting requests per target. Nothing leaves 127.0.0.1: a target elsewhere is recorded, then
// refused (403), so a test can see which host a client would have reached without reaching it.
import { createServer, request, type IncomingMessage, type RequestListener } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** A running proxy. */
export interface ForwardProxy {
  /** `http://127.0.0.1:PORT` (`https://` with TLS). */
  readonly url: string;
  readonly port: number;
  /** Requests seen per target (`host:port`), CONNECTs and forwarded requests alike. */
  counts(): Record<string, number>;
  /** Total requests seen. */
  total(): number;
  /** The targets of CONNECT requests, in order. */
  readonly connects: string[];
  /** The `Proxy-Authorization` headers received, in order (to check credentials reach the proxy). */
  readonly authorizations: string[];
  stop(): Promise<void>;
}

const LOCAL = new Set(['127.0.0.1', 'localhost']);

function hostOf(target: string): string {
  return target.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
}

/**
 * Starts a forward proxy on 127.0.0.1 (any free port); with `tls`, clients reach the proxy itself over TLS
 * (an `https://` proxy URL).
 */
export async function startForwardProxy(options: { tls?: { cert: string; key: string } } = {}): Promise<ForwardProxy> {
  const counts = new Map<string, number>();
  const connects: string[] = [];
  const authorizations: string[] = [];
  const sockets = new Set<Socket>();
  const seen = (target: string, req: IncomingMessage): void => {
    counts.set(target, (counts.get(target) ?? 0) + 1);
    const auth = req.headers['proxy-authorization'];
    if (auth) authorizations.push(auth);
  };

  const forward: RequestListener = (req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute URI expected');
      return;
    }
    const target = `${url.hostname}:${url.port || 80}`;
    seen(target, req);
    if (!LOCAL.has(url.hostname)) {
      res.writeHead(403).end('the test proxy reaches 127.0.0.1 only');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = request({ host: url.hostname, port: url.port || 80, method: req.method, path: `${url.pathname}${url.search}`, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end('upstream failed'));
    req.pipe(upstream);
  };
  const server = options.tls ? createTlsServer(options.tls, forward) : createServer(forward);

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    connects.push(target);
    seen(target, req);
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (!LOCAL.has(hostOf(target))) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const port = Number(/:(\d+)$/.exec(target)?.[1] ?? 443);
    const upstream = connect(port, hostOf(target), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    counts: () => Object.fromEntries(counts),
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    connects,
    authorizations,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
