/**
 * The one rule that decides which registry a name refers to, for every path of the CLI: `ecr-auth`'s commands
 * and the credential helper's start-up path alike. An ECR host is exactly what `parseRegistry` accepts; any
 * other host only when the configuration file maps it (a pull-through cache, a mirror, a VPC endpoint alias).
 * Light enough for the helper's start-up path: `ecr-auth`'s registry parser and the configuration file only.
 *
 * @module
 */
import { parseRegistry, RegistryParseError, registryHost } from 'ecr-auth';
import { settingsFor, type CliConfig, type RegistrySettings } from './config-file.js';

/** A registry name, placed: which host it is, and which token serves it. */
export type PlacedRegistry = PlacedEcrRegistry | PlacedCustomRegistry;

interface PlacedBase {
  /** The bare host, lower-cased (`:443` dropped; another port kept for custom hosts). */
  host: string;
  /** Private ECR or ECR Public. */
  kind: 'private' | 'public';
  /** The 12-digit account, when known. */
  accountId: string | undefined;
  /** The configuration file's settings for the host (top-level defaults, then the matching entry). */
  settings: RegistrySettings;
}

/** An ECR host, as `parseRegistry` accepts it. */
export interface PlacedEcrRegistry extends PlacedBase {
  /** Not a custom name. */
  custom: false;
  /** The region that issues its tokens. */
  region: string;
  /** A FIPS host (`dkr.ecr-fips`, `dkr-ecr-fips`). */
  fips: boolean;
  /** A dual-stack host. */
  dualStack: boolean;
}

/** A custom name mapped in the configuration file (a pull-through cache, a mirror, a VPC endpoint alias). */
export interface PlacedCustomRegistry extends PlacedBase {
  /** A custom name. */
  custom: true;
  /** The region that issues its tokens; `undefined` when its entry (and the top level) names none. */
  region: string | undefined;
}

/**
 * A registry name that is neither an ECR host nor mapped in the configuration file.
 *
 * @example
 * ```ts
 * import { resolveTarget, TargetError } from '@ecr-auth/cli';
 *
 * try {
 *   resolveTarget('registry.example.com', {}); // neither ECR nor mapped in the configuration file
 * } catch (error) {
 *   if (error instanceof TargetError) console.error(error.message);
 * }
 * ```
 */
export class TargetError extends Error {
  /** Always `ECR_AUTH_INVALID_REGISTRY`, as `ecr-auth`'s parse errors. */
  readonly code = 'ECR_AUTH_INVALID_REGISTRY';

  /** @param message - what is wrong. */
  constructor(message: string) {
    super(message.startsWith('ecr-auth:') ? message : `ecr-auth: ${message}`);
    this.name = 'TargetError';
  }
}

/**
 * Places a registry name (a host, `https://host[:443]/v2/`, or an image reference).
 *
 * - An ECR host (every partition, FIPS, dual-stack, ECR Public) exactly as `parseRegistry` accepts it.
 * - Any other host only through the configuration file: an exact `registries` entry, or a `*.suffix` entry
 *   that itself names a `region` (or `public`). Settings inherited from the top level never make a host
 *   custom on their own.
 *
 * @example
 * ```ts
 * placeRegistry('https://123456789012.dkr.ecr.eu-west-1.amazonaws.com:443/v2/', {});
 * // { host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', kind: 'private', region: 'eu-west-1', custom: false, … }
 * placeRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.test', {}); // throws TargetError
 * ```
 *
 * @param input - what the user or Docker gave.
 * @param config - the configuration file.
 * @returns the placed registry.
 * @throws {@link TargetError} (or `ecr-auth`'s `RegistryParseError` for a malformed name) when the name is
 *   neither an ECR host nor mapped.
 */
export function placeRegistry(input: string, config: CliConfig): PlacedRegistry {
  let parseError: RegistryParseError;
  try {
    const parsed = parseRegistry(input);
    const { settings } = settingsFor(config, parsed.host);
    return { host: parsed.host, kind: parsed.kind, region: parsed.region, accountId: parsed.accountId, custom: false, fips: parsed.fips, dualStack: parsed.dualStack, settings };
  } catch (error) {
    if (!(error instanceof RegistryParseError)) throw error;
    parseError = error;
  }
  const host = registryHost(input);
  const { settings, entry, pattern } = settingsFor(config, host);
  const mapped = entry !== undefined && (pattern === host || entry.region !== undefined || entry.public !== undefined);
  if (!mapped) {
    throw new TargetError(
      // Stryker disable next-line Regex: the message always starts with "ecr-auth: " (so ^ changes nothing), and .* under the s flag already runs to the end (so $ changes nothing)
      `${parseError.message.replace(/^ecr-auth: /, '').replace(/ For a custom name.*$/s, '').replace(/\.$/, '')}; ` +
        `for a custom name (a proxy, a mirror), map it in the configuration file: {"registries": {"${host}": {"region": "us-east-1", "accountId": "123456789012"}}}`,
    );
  }
  const kind = settings.public ? 'public' : 'private';
  return { host, kind, region: kind === 'public' ? 'us-east-1' : settings.region, accountId: settings.accountId, custom: true, settings };
}
