/**
 * The agents that route each request of an SDK client: through the proxy {@link proxyFor} picks for its URL
 * (`CONNECT` tunnel for HTTPS from `https-proxy-agent`, absolute-URI forwarding for HTTP from
 * `http-proxy-agent`), or straight to the host; HTTPS trusts the secure context of the extra CAs. Loaded only
 * when a proxy or extra CAs are configured.
 *
 * @module
 */
import type { ClientRequest } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIPv6 } from 'node:net';
import type { SecureContext } from 'node:tls';
import { Agent, type AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { NetworkError } from './errors.js';
import type { ProxyChoice } from './proxy-env.js';

/** The SDK's own defaults for its agents. */
const AGENT_DEFAULTS = { keepAlive: true, maxSockets: 50 } as const;

/**
 * The proxy URL without user information, and the `Proxy-Authorization` header that carries it instead: the
 * agents then never hold the password in a URL they might log (their `DEBUG=*-proxy-agent` output prints it).
 */
function splitCredentials(proxy: URL): { url: URL; headers: Record<string, string> } {
  const url = new URL(proxy.href);
  if (!url.username && !url.password) return { url, headers: {} };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url, headers: { 'Proxy-Authorization': `Basic ${Buffer.from(credentials).toString('base64')}` } };
}

/**
 * The proxy's answer to `CONNECT`, as https-proxy-agent's `proxyConnect` event carries it (its own parse of the
 * status line, not an `IncomingMessage`: the reason phrase is `statusText`).
 */
interface ConnectAnswer {
  statusCode: number;
  statusText: string;
}

/** A proxy that refused to open a tunnel: the request fails with this, never reaches the target. */
function tunnelRefused(proxy: ProxyChoice, target: string, answer: ConnectAnswer): NetworkError {
  return new NetworkError(
    'ECR_AUTH_NETWORK',
    `the proxy ${proxy.display} (from ${proxy.source}) refused to open a tunnel to ${target} (HTTP ${answer.statusCode}` +
      `${answer.statusText ? ` ${answer.statusText}` : ''}); check that the proxy allows CONNECT to AWS, or add the host to NO_PROXY`,
    { awsErrorCode: 'ProxyConnectRefused', httpStatusCode: answer.statusCode, retryable: answer.statusCode >= 500 },
  );
}

/**
 * An agent that picks, per request, a proxy agent or a direct one. One instance per scheme: the SDK hands
 * plain-HTTP requests to one and HTTPS requests to the other.
 */
export class RoutingAgent extends Agent {
  readonly #secure: boolean;
  readonly #route: (url: URL) => ProxyChoice | undefined;
  readonly #secureContext: (() => SecureContext) | undefined;
  #direct: http.Agent | undefined;
  readonly #viaProxy = new Map<string, http.Agent>();

  constructor(secure: boolean, route: (url: URL) => ProxyChoice | undefined, secureContext: (() => SecureContext) | undefined) {
    // keepAlive here too: Node's ClientRequest asks the request's own agent whether to keep the connection
    // (`Connection: keep-alive`), and without it closes every connection the chosen agent would keep.
    super({ keepAlive: true });
    this.#secure = secure;
    this.#route = route;
    this.#secureContext = secureContext;
  }

  override isSecureEndpoint(): boolean {
    return this.#secure;
  }

  override connect(req: ClientRequest, options: AgentConnectOpts): http.Agent {
    // Stryker disable next-line StringLiteral: unreachable through Node's ClientRequest, which always sets host (to 'localhost' itself when none is given)
    const host = options.host ?? 'localhost';
    const target = `${isIPv6(host) ? `[${host}]` : host}:${options.port ?? (this.#secure ? 443 : 80)}`;
    const proxy = this.#route(new URL(`${this.#secure ? 'https' : 'http'}://${target}`));
    // Built on the first TLS connection only (to the target, or to an https:// proxy). The request's options
    // are handed on to the chosen agent, so the tunnelled TLS connection trusts the same CAs as a direct one.
    const secureContext = this.#secure || proxy?.url.protocol === 'https:' ? this.#secureContext?.() : undefined;
    // Stryker disable next-line ConditionalExpression,LogicalOperator: also handing a plain-HTTP request the context (or an undefined one) changes nothing: http.Agent and http-proxy-agent open their sockets with options of their own, and an undefined secureContext is Node's default
    if (secureContext && this.#secure) Object.assign(options, { secureContext });
    if (!proxy) {
      this.#direct ??= this.#secure
        ? new https.Agent({
            ...AGENT_DEFAULTS,
            // Stryker disable next-line ConditionalExpression,LogicalOperator,ObjectLiteral: a second handing of the context: each request's options carry it (above), and https.Agent builds every connection from them
            ...(secureContext && { secureContext }),
          })
        : new http.Agent(AGENT_DEFAULTS);
      return this.#direct;
    }
    let agent = this.#viaProxy.get(proxy.url.href);
    if (!agent) {
      const { url, headers } = splitCredentials(proxy.url);
      // For an https:// proxy, the TLS connection to the proxy itself trusts the extra CAs too (the plain TCP
      // connection to an http:// proxy ignores the context).
      const toProxy = { ...AGENT_DEFAULTS, headers, ...(secureContext && { secureContext }) };
      agent = this.#secure ? new HttpsProxyAgent(url, toProxy) : new HttpProxyAgent(url, toProxy);
      this.#viaProxy.set(proxy.url.href, agent);
    }
    if (this.#secure) {
      req.once('proxyConnect', (answer: ConnectAnswer) => {
        if (answer.statusCode !== 200) req.destroy(tunnelRefused(proxy, target, answer));
      });
    }
    return agent;
  }

  override destroy(): void {
    this.#direct?.destroy();
    for (const agent of this.#viaProxy.values()) agent.destroy();
    this.#viaProxy.clear();
    super.destroy();
  }
}
