/**
 * Chooses what a provider sends `GetAuthorizationToken` through: ecr-auth's own signed request
 * (direct-client.ts) when direct-route.ts allows it, else an SDK client (sdk-clients.ts).
 *
 * @module
 */
import { DirectEcrClient } from './direct-client.js';
import { directRoute } from './direct-route.js';
import { completeLogger } from './logger.js';
import { networkSetup } from './request-handler.js';
import type { ClientTarget } from './client-types.js';
import { createSdkClient, endpointOverride, type ClientSettings, type SdkClient } from './sdk-clients.js';

/** An SDK client, or ecr-auth's own. */
export type ApiClient = SdkClient | DirectEcrClient;

/**
 * Creates the client for one target: ecr-auth's own for static credentials with no proxy, to the standard
 * endpoint or a bare override; an SDK client for anything else.
 *
 * @param target - kind, region and endpoint variant.
 * @param settings - the provider's options.
 * @returns a new client.
 */
export async function createApiClient(target: ClientTarget, settings: ClientSettings): Promise<ApiClient> {
  if (settings.requestHandler !== undefined) return createSdkClient(target, settings);
  const network = await networkSetup(settings);
  const route = await directRoute(target, settings, endpointOverride(target.kind, settings), network);
  if (!route) return createSdkClient(target, settings, network);
  completeLogger(settings.logger).debug(
    `ecr-auth: GetAuthorizationToken (private, ${target.region}): signed and sent by ecr-auth itself to ${route.endpoint.host} (static credentials, no proxy); the AWS SDK is not loaded`,
  );
  return new DirectEcrClient(route, network);
}
