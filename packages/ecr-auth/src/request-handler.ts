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
  // The proxy agent packages load only now, when a proxy or extra CAs are configured.
  const { RoutingAgent } = await import('./routing-agent.js');
  return {
    handlerOptions: { httpAgent: new RoutingAgent(false, route, secureContext), httpsAgent: new RoutingAgent(true, route, secureContext) },
    proxyFor: route,
    ca,
  };
}

/** Options of {@link networkRequestHandler}: the same as the provider's. */
export interface NetworkRequestHandlerOptions {
  /** A proxy URL, or `false` to ignore the environment; default `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`. */
  proxy?: string | false;
  /** Extra CAs (PEM); default `AWS_CA_BUNDLE`, then the profile's `ca_bundle`. */
  caBundle?: string | Buffer;
  /** The profile whose `ca_bundle` is read; default `AWS_PROFILE`, then `default`. */
  profile?: string;
}

/**
 * The `requestHandler` options (`{ httpAgent, httpsAgent }`) that make an AWS SDK v3 client use the proxy and
 * CAs `ecr-auth` uses, or `undefined` when neither applies (keep the SDK's default handler then). For other
 * SDK clients, such as STS for an assumed role. A public export must load this module lazily (a wrapper
 * with `import('./request-handler.js')`), to keep importing `ecr-auth` cheap.
 *
 * @param options - the `proxy`, `caBundle` and `profile`, as for the provider.
 * @returns options for the client's `requestHandler`, or `undefined`.
 * @throws {@link InvalidOptionError} for an unusable proxy setting or CA bundle.
 * @example
 * ```ts
 * import { STSClient } from '@aws-sdk/client-sts';
 * import { networkRequestHandler } from 'ecr-auth';
 *
 * const requestHandler = await networkRequestHandler();
 * const sts = new STSClient({ region: 'eu-west-1', ...(requestHandler && { requestHandler }) });
 * ```
 */
export async function networkRequestHandler(
  options: NetworkRequestHandlerOptions = {},
): Promise<HandlerOptions | undefined> {
  return (await networkSetup(options)).handlerOptions;
}
