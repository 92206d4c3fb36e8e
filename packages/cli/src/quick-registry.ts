/**
 * A cheap classification of registry hosts for the credential helper's start-up path. It accepts a superset
 * of what `ecr-auth`'s `parseRegistry` accepts (so it never turns away a real ECR host); the strict parser
 * runs on the slow path.
 *
 * @module
 */

/** What a host name says about the token that serves it. */
export interface QuickRegistry {
  /** The bare host, lower-cased, port kept. */
  host: string;
  /** Private ECR or ECR Public. */
  kind: 'private' | 'public';
  /** The region that issues its tokens. */
  region: string;
  /** The 12-digit account (private only). */
  accountId: string | undefined;
}

const PRIVATE = /^(\d{12})\.dkr(?:\.ecr|-ecr)(?:-fips)?\.([a-z0-9-]+)\.[a-z0-9.-]+$/;
const PUBLIC_HOSTS = new Set(['public.ecr.aws', 'ecr-public.aws.com']);

/**
 * The bare host of a server URL or image reference: scheme, path and trailing whitespace removed, lower-cased.
 *
 * @param input - `host`, `https://host`, `host/repo:tag`…
 * @returns the host with its port, or `''` for an empty input.
 */
export function bareHost(input: string): string {
  let rest = input.trim();
  const scheme = rest.indexOf('://');
  if (scheme >= 0) rest = rest.slice(scheme + 3);
  const slash = rest.indexOf('/');
  return (slash < 0 ? rest : rest.slice(0, slash)).toLowerCase();
}

/**
 * Classifies an ECR host by its name alone.
 *
 * @param host - a bare host (see {@link bareHost}).
 * @returns kind, region and account, or `undefined` when the name is not an ECR host.
 */
export function quickParseRegistry(host: string): QuickRegistry | undefined {
  if (PUBLIC_HOSTS.has(host)) return { host, kind: 'public', region: 'us-east-1', accountId: undefined };
  const match = PRIVATE.exec(host);
  if (!match) return undefined;
  return { host, kind: 'private', region: match[2] ?? '', accountId: match[1] };
}
