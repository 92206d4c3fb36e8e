// Everything a fetch needs beyond the provider itself, loaded on the first fetch (with the SDK), so that
// importing `ecr-auth` stays cheap.
import { classifyError } from './classify-error.js';
import type { EcrAuthError } from './errors.js';
import { fetchAuthorizationToken, type FetchedToken } from './fetch-token.js';
import type { EcrAuthLogger } from './logger.js';
import type { ResolvedRetryOptions } from './retry-options.js';
import { withRetry } from './retry.js';
import type { ApiClient } from './api-client.js';
import type { ClientTarget } from './client-types.js';

export { classifyError } from './classify-error.js';
export { createApiClient } from './api-client.js';
export { defaultRegion, endpointOverride } from './sdk-clients.js';

/** What {@link fetchWithRetries} needs to know. */
export interface FetchContext {
  client: ApiClient;
  target: ClientTarget;
  /** Where the call goes, for error messages. */
  endpoint: string;
  retry: ResolvedRetryOptions;
  logger: Required<EcrAuthLogger>;
  label: string;
  /** Cancels the fetch (the provider was closed). */
  signal: AbortSignal;
}

/**
 * One token fetch: `GetAuthorizationToken` with retries, backoff and deadlines, errors typed.
 *
 * @param context - client, target, retry policy and logging.
 * @returns the decoded token.
 * @throws a typed {@link EcrAuthError}.
 */
export function fetchWithRetries(context: FetchContext): Promise<FetchedToken> {
  const { client, target, endpoint } = context;
  return withRetry((signal) => fetchAuthorizationToken(client, target, signal), context.retry, {
    classify: (error): EcrAuthError => classifyError(error, target.kind, endpoint),
    logger: context.logger,
    label: context.label,
    signal: context.signal,
  });
}
