/**
 * The agents that route each request of an SDK client: through the proxy {@link proxyFor} picks for its URL
 * (`CONNECT` tunnel for HTTPS from `https-proxy-agent`, absolute-URI forwarding for HTTP from
 * `http-proxy-agent`), or straight to the host; HTTPS trusts the secure context of the extra CAs. Loaded only
 * when a proxy or extra CAs are configured.
 *
 * @module
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
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

/** A proxy that refused to open a tunnel: the request fails with this, never reaches the target. */
function tunnelRefused(proxy: ProxyChoice, target: string, response: IncomingMessage): NetworkError {
  return new NetworkError(
    'ECR_AUTH_NETWORK',
    `the proxy ${proxy.display} (from ${proxy.source}) refused to open a tunnel to ${target} (HTTP ${response.statusCode ?? '?'}` +
      `${response.statusMessage ? ` ${response.statusMessage}` : ''}); check that the proxy allows CONNECT to AWS, or add the host to NO_PROXY`,
    { awsErrorCode: 'ProxyConnectRefused', httpStatusCode: response.statusCode, retryable: (response.statusCode ?? 0) >= 500 },
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
    super();
    this.#secure = secure;
    this.#route = route;
    this.#secureContext = secureContext;
  }

  override isSecureEndpoint(): boolean {
    return this.#secure;
  }

  override connect(req: ClientRequest, options: AgentConnectOpts): http.Agent {
    const host = options.host ?? 'localhost';
    const target = `${isIPv6(host) ? `[${host}]` : host}:${options.port ?? (this.#secure ? 443 : 80)}`;
    const proxy = this.#route(new URL(`${this.#secure ? 'https' : 'http'}://${target}`));
    // Built on the first TLS connection only (to the target, or to an https:// proxy). The request's options
    // are handed on to the chosen agent, so the tunnelled TLS connection trusts the same CAs as a direct one.
    const secureContext = this.#secure || proxy?.url.protocol === 'https:' ? this.#secureContext?.() : undefined;
    if (secureContext && this.#secure) Object.assign(options, { secureContext });
    if (!proxy) {
      this.#direct ??= this.#secure
        ? new https.Agent({ ...AGENT_DEFAULTS, ...(secureContext && { secureContext }) })
        : new http.Agent(AGENT_DEFAULTS);
      return this.#direct;
    }
    let agent = this.#viaProxy.get(proxy.url.href);
    if (!agent) {
      const { url, headers } = splitCredentials(proxy.url);
      // For an https:// proxy, the TLS connection to the proxy itself trusts the extra CAs too.
      const toProxy = { ...AGENT_DEFAULTS, headers, ...(url.protocol === 'https:' && secureContext && { secureContext }) };
      agent = this.#secure ? new HttpsProxyAgent(url, toProxy) : new HttpProxyAgent(url, toProxy);
      this.#viaProxy.set(proxy.url.href, agent);
    }
    if (this.#secure) {
      req.once('proxyConnect', (response: IncomingMessage) => {
        if (response.statusCode !== 200) req.destroy(tunnelRefused(proxy, target, response));
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
