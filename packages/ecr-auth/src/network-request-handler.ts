/**
 * The proxy and CA handling of `ecr-auth` for other AWS SDK clients (STS for an assumed role, say), so that
 * they connect the way the ECR clients do. Loads nothing until called.
 *
 * @module
 */
import type * as http from 'node:http';

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
 * CAs `ecr-auth` uses, or `undefined` when neither applies (keep the SDK's default handler then).
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
): Promise<{ httpAgent: http.Agent; httpsAgent: http.Agent } | undefined> {
  const { networkSetup } = await import('./request-handler.js');
  return (await networkSetup(options)).handlerOptions;
}
