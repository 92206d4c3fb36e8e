/**
 * Decides how the SDK clients `ecr-auth` creates connect: the SDK's default handler when no proxy and no extra
 * CA applies, else the routing agents of `routing-agent.ts` (loaded only then) with the proxy {@link proxyFor}
 * picks per request and the extra CAs of {@link loadCaBundle}. Loaded with the SDK, on the first fetch.
 *
 * @module
 */
import type * as http from 'node:http';
import type { SecureContext } from 'node:tls';
import { loadCaBundle, type CaBundle, type CaSettings } from './ca-bundle.js';
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
  /**
   * The TLS context that trusts Node's CAs and the extra ones, built on first use; `undefined` when no CA is
   * added to Node's (then Node's default context serves).
   */
  readonly secureContext: (() => SecureContext) | undefined;
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
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a context that adds no certificate trusts what Node's default one does
  const added = ca && ca.added.length > 0 ? ca : undefined;
  let context: SecureContext | undefined;
  const secureContext = added && ((): SecureContext => (context ??= secureContextWith(added)));
  // CAs that Node trusts already (AWS_CA_BUNDLE naming the system bundle, say) need no agents of ours.
  if (!added && !mayUseProxy(settings, env)) return { handlerOptions: undefined, proxyFor: route, ca, secureContext };
  // The proxy agent packages load only now, when a proxy or extra CAs are configured.
  const { RoutingAgent } = await import('./routing-agent.js');
  return {
    handlerOptions: { httpAgent: new RoutingAgent(false, route, secureContext), httpsAgent: new RoutingAgent(true, route, secureContext) },
    proxyFor: route,
    ca,
    secureContext,
  };
}
