import { EcrTokenProvider, type GetTokenOptions } from './provider.js';
import type { TokenRequest } from './request.js';
import type { AuthorizationToken } from './token.js';

let sharedProvider: EcrTokenProvider | undefined;

/**
 * Gets a token through a process-wide {@link EcrTokenProvider} with default options (standard AWS
 * environment, default credentials chain). Create your own provider for custom credentials, endpoints or
 * cache settings.
 *
 * @param request - a registry host, URL, image reference or {@link TokenRequest}; omitted: your own
 *   registry in `AWS_REGION`.
 * @param options - this call's `signal` and `forceRefresh`.
 * @returns a valid token for the registry.
 *
 * @example
 * ```ts
 * import { execFileSync } from 'node:child_process';
 * import { getToken } from 'ecr-auth';
 *
 * const token = await getToken('123456789012.dkr.ecr.us-east-1.amazonaws.com');
 * // the password on the tool's stdin, never in its argv
 * execFileSync('podman', ['login', '--username', token.username, '--password-stdin', token.registry], { input: token.revealPassword() });
 * ```
 */
export function getToken(request?: string | TokenRequest, options?: GetTokenOptions): Promise<AuthorizationToken> {
  sharedProvider ??= new EcrTokenProvider();
  return sharedProvider.getToken(request, options);
}
