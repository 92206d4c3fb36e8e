/**
 * The HTTP agents behind the SDK clients `ecr-auth` creates: each request goes through the proxy that
 * {@link proxyFor} picks for its URL (`CONNECT` tunnel for HTTPS, absolute-URI forwarding for HTTP, both from
 * the `https-proxy-agent`/`http-proxy-agent` packages) or straight to the host, and HTTPS trusts the extra CAs
 * of {@link loadCaBundle}. Loaded with the SDK, on the first fetch.
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
import { loadCaBundle, type CaBundle, type CaSettings } from './ca-bundle.js';
import { NetworkError } from './errors.js';
import { mayUseProxy, proxyFor, type ProxyChoice, type ProxySettings } from './proxy-env.js';
import { secureContextWith } from './secure-context.js';

/** The options `ecr-auth` hands the SDK as `requestHandler` (the SDK builds its `NodeHttpHandler` from them). */
export interface HandlerOptions {
  httpAgent: http.Agent;
  httpsAgent: http.Agent;
}

/** What the agents and the error translation know about the network set-up. */
export interface NetworkSetup {
  /** `requestHandler` options for the SDK; `undefined` to keep the SDK's default handler. */
  readonly handlerOptions: HandlerOptions | undefined;
  /** The proxy a request to `url` goes through, if any. */
  readonly proxyFor: (url: URL) => ProxyChoice | undefined;
  /** The extra CAs in force, if any. */
  readonly ca: CaBundle | undefined;
}

/** The SDK's own defaults for its agents. */
const AGENT_DEFAULTS = { keepAlive: true, maxSockets: 50 } as const;

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
class RoutingAgent extends Agent {
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
    // Built on the first HTTPS connection only. The options are handed on to the chosen agent, so the
    // tunnelled TLS connection trusts the same CAs as a direct one.
    const secureContext = this.#secure ? this.#secureContext?.() : undefined;
    if (secureContext) Object.assign(options, { secureContext });
    if (!proxy) {
      this.#direct ??= this.#secure
        ? new https.Agent({ ...AGENT_DEFAULTS, ...(secureContext && { secureContext }) })
        : new http.Agent(AGENT_DEFAULTS);
      return this.#direct;
    }
    let agent = this.#viaProxy.get(proxy.url.href);
    if (!agent) {
      agent = this.#secure ? new HttpsProxyAgent(proxy.url, { ...AGENT_DEFAULTS }) : new HttpProxyAgent(proxy.url, { ...AGENT_DEFAULTS });
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

/** What {@link networkSetup} needs: the proxy and CA options and the profile. */
export interface NetworkSettings extends ProxySettings, CaSettings {}

/**
 * The agents for the SDK clients, when a proxy or extra CAs are configured; the SDK's default handler
 * otherwise.
 *
 * @param settings - the `proxy` and `caBundle` options and the profile.
 * @param env - the environment (default `process.env`).
 * @throws {@link InvalidOptionError} for an unusable proxy setting or CA bundle.
 */
export async function networkSetup(settings: NetworkSettings, env: NodeJS.ProcessEnv = process.env): Promise<NetworkSetup> {
  const route = (url: URL): ProxyChoice | undefined => proxyFor(url, settings, env);
  // A malformed proxy setting is reported now, not at the first request that would use it.
  route(new URL('https://ecr.amazonaws.com'));
  route(new URL('http://ecr.amazonaws.com'));
  const ca = await loadCaBundle(settings, env);
  // CAs that Node trusts already (AWS_CA_BUNDLE naming the system bundle, say) need no agents of ours.
  if (!ca?.added.length && !mayUseProxy(settings, env)) return { handlerOptions: undefined, proxyFor: route, ca };
  const added = ca && ca.added.length > 0 ? ca : undefined;
  let context: SecureContext | undefined;
  const secureContext = added && ((): SecureContext => (context ??= secureContextWith(added)));
  return {
    handlerOptions: { httpAgent: new RoutingAgent(false, route, undefined), httpsAgent: new RoutingAgent(true, route, secureContext) },
    proxyFor: route,
    ca,
  };
}
