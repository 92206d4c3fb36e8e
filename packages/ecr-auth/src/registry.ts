import { RegistryParseError } from './errors.js';
import type { RegistryKind } from './token.js';

/** A registry host understood by this library, with what its name says about it. */
export interface ParsedRegistry {
  /** The bare host, lower-cased, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com`. */
  host: string;
  /** Private ECR or ECR Public. */
  kind: RegistryKind;
  /** The 12-digit account id (private registries only). */
  accountId: string | undefined;
  /** The region whose endpoint issues tokens for this registry (`us-east-1` for ECR Public). */
  region: string;
  /** The DNS suffix of the partition, e.g. `amazonaws.com`, `amazonaws.com.cn`, `on.aws`. */
  dnsSuffix: string;
  /** Whether the host is a FIPS endpoint (`dkr.ecr-fips`, `dkr-ecr-fips`). */
  fips: boolean;
  /** Whether the host is a dual-stack (IPv4 + IPv6) endpoint. */
  dualStack: boolean;
  /** The repository path of an image reference (`team/app`), when the input had one. */
  repository: string | undefined;
  /** The tag of an image reference, when the input had one. */
  tag: string | undefined;
  /** The digest of an image reference (`sha256:…`), when the input had one. */
  digest: string | undefined;
}

/** The host of ECR Public, and its dual-stack twin. */
export const ECR_PUBLIC_HOSTS: readonly string[] = ['public.ecr.aws', 'ecr-public.aws.com'];

/** The region that issues ECR Public tokens. */
export const ECR_PUBLIC_REGION = 'us-east-1';

/**
 * The partitions, with the region names each one owns (the AWS SDK's `regionRegex`, restricted to letters in the
 * middle part) and the DNS suffixes of their registry hosts. A host is an ECR registry only when its region
 * belongs to the partition of its suffix.
 */
const PARTITIONS: readonly { regions: RegExp; suffix: string; dualStackSuffix?: string }[] = [
  { regions: /^(?:us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+$/, suffix: 'amazonaws.com', dualStackSuffix: 'on.aws' },
  { regions: /^us-gov-[a-z]+-\d+$/, suffix: 'amazonaws.com', dualStackSuffix: 'on.aws' },
  { regions: /^cn-[a-z]+-\d+$/, suffix: 'amazonaws.com.cn', dualStackSuffix: 'on.amazonwebservices.com.cn' },
  { regions: /^us-iso-[a-z]+-\d+$/, suffix: 'c2s.ic.gov' },
  { regions: /^us-isob-[a-z]+-\d+$/, suffix: 'sc2s.sgov.gov' },
  { regions: /^eu-isoe-[a-z]+-\d+$/, suffix: 'cloud.adc-e.uk' },
  { regions: /^us-isof-[a-z]+-\d+$/, suffix: 'csp.hci.ic.gov' },
  { regions: /^eusc-de-[a-z]+-\d+$/, suffix: 'amazonaws.eu' },
];
const IPV4_SUFFIXES = [...new Set(PARTITIONS.map((p) => p.suffix))];
// Stryker disable next-line ArrayDeclaration: a suffix put in for a partition without one (Stryker's own text) holds a space, and a host with a space is refused before this
const DUAL_STACK_SUFFIXES = [...new Set(PARTITIONS.flatMap((p) => (p.dualStackSuffix ? [p.dualStackSuffix] : [])))];

const escape = (suffix: string): string => suffix.replaceAll('.', '\\.');
const PRIVATE_HOST = new RegExp(
  '^(?<account>\\d{12})\\.' +
    '(?:dkr\\.ecr(?<fips>-fips)?\\.(?<region>[a-z0-9-]+)\\.(?<suffix>' + IPV4_SUFFIXES.map(escape).join('|') + ')' +
    '|dkr-ecr(?<dsfips>-fips)?\\.(?<dsregion>[a-z0-9-]+)\\.(?<dssuffix>' + DUAL_STACK_SUFFIXES.map(escape).join('|') + '))$',
);
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const TAG = /^\w[\w.-]{0,127}$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const MAX_INPUT = 2048;

const howToCustom =
  'For a custom name (a proxy, a VPC endpoint alias), pass the region and account explicitly, e.g. ' +
  "getToken({ registry: 'registry.example.com', region: 'us-east-1', accountId: '123456789012' }).";

interface SplitReference {
  host: string;
  repository: string | undefined;
  tag: string | undefined;
  digest: string | undefined;
}

/** The port that names the same registry as no port at all (`host:443` is `host`, as the Go helper treats it). */
const DEFAULT_PORT = ':443';

/**
 * A registry string as it may appear in a message: control, space and non-ASCII characters escaped, cut at 128
 * characters, so that input cannot write to the user's terminal.
 */
export function printable(input: string): string {
  const escaped = JSON.stringify(input.length > 128 ? `${input.slice(0, 128)}…` : input).slice(1, -1);
  return escaped.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Splits `[scheme://]host[:port][/repo][:tag][@digest]` into parts; validates only the shape of the parts.
 * Only printable ASCII is accepted (after trimming surrounding blanks): a host with a control character,
 * space, user info or a Unicode look-alike never reaches the host rules, and `:443` is dropped.
 */
function splitReference(input: string): SplitReference {
  let rest = input.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
  if (!/^[\x21-\x7e]+$/.test(rest)) {
    throw new RegistryParseError(input, `ecr-auth: "${printable(input)}" contains a space, control or non-ASCII character; registry names are plain ASCII`);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (scheme) {
    if (!/^https?$/i.test(scheme[1] ?? '')) throw new RegistryParseError(input, `ecr-auth: unsupported scheme in "${printable(input)}"; use a bare host or https://host`);
    rest = rest.slice(scheme[0].length);
  }
  const slash = rest.indexOf('/');
  let host = (slash < 0 ? rest : rest.slice(0, slash)).toLowerCase();
  if (host.includes('@')) {
    throw new RegistryParseError(input, `ecr-auth: "${printable(input)}" has user information before its host; give the registry host alone`);
  }
  if (host.endsWith(DEFAULT_PORT)) host = host.slice(0, -DEFAULT_PORT.length);
  let path = slash < 0 ? '' : rest.slice(slash + 1);
  let digest: string | undefined;
  const at = path.indexOf('@');
  if (at >= 0) {
    digest = path.slice(at + 1);
    path = path.slice(0, at);
    if (!DIGEST.test(digest)) throw new RegistryParseError(input, `ecr-auth: "${printable(digest)}" in "${printable(input)}" is not a valid digest (expected sha256:<hex>)`);
  }
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(tag)) throw new RegistryParseError(input, `ecr-auth: "${printable(tag)}" in "${printable(input)}" is not a valid tag`);
  }
  path = path.replace(/\/+$/, '');
  // The API paths a server URL may carry (`https://host/v2/`) name no repository.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: with no slash the path is empty, which the v1/v2 test refuses anyway
  if (slash >= 0 && digest === undefined && tag === undefined && /^v[12]$/.test(path)) path = '';
  if (path !== '' && !REPOSITORY.test(path)) {
    throw new RegistryParseError(input, `ecr-auth: "${printable(path)}" in "${printable(input)}" is not a valid repository name`);
  }
  return { host, repository: path === '' ? undefined : path, tag, digest };
}

/**
 * Parses an ECR registry from a bare host, a URL or an image reference.
 *
 * Accepts every partition (`amazonaws.com`, `.com.cn`, `.eu`, the ISO partitions), FIPS and dual-stack
 * hosts, and ECR Public (`public.ecr.aws`, `ecr-public.aws.com`), given as `host`, `https://host`,
 * `host/repo:tag` or `host/repo@sha256:…`.
 *
 * @param input - what the user typed or configured.
 * @returns the host and what it says: account, region, partition suffix, FIPS, dual-stack.
 * @throws {@link RegistryParseError} for anything else, with a message saying how to pass region and
 *   account explicitly for custom names.
 *
 * @example
 * ```ts
 * parseRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1');
 * // { host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', accountId: '123456789012',
 * //   region: 'eu-west-1', kind: 'private', repository: 'team/app', tag: 'v1', … }
 * ```
 */
export function parseRegistry(input: string): ParsedRegistry {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new RegistryParseError(String(input), 'ecr-auth: the registry is empty; pass a host such as 123456789012.dkr.ecr.us-east-1.amazonaws.com');
  }
  if (input.length > MAX_INPUT) {
    throw new RegistryParseError(printable(input.slice(0, 64)) + '…', `ecr-auth: the registry reference is ${input.length} characters long, over the limit of ${MAX_INPUT}`);
  }
  const { host, repository, tag, digest } = splitReference(input);
  const image = { repository, tag, digest };

  if (ECR_PUBLIC_HOSTS.includes(host)) {
    return {
      host,
      kind: 'public',
      accountId: undefined,
      region: ECR_PUBLIC_REGION,
      dnsSuffix: host === 'public.ecr.aws' ? 'aws' : 'aws.com',
      fips: false,
      dualStack: host !== 'public.ecr.aws',
      ...image,
    };
  }

  const groups = PRIVATE_HOST.exec(host)?.groups;
  const region = groups?.['region'] ?? groups?.['dsregion'];
  const dnsSuffix = groups?.['suffix'] ?? groups?.['dssuffix'];
  // Stryker disable next-line ConditionalExpression,LogicalOperator: the pattern's two alternatives each capture a region and a suffix, so a match has both
  if (!groups || region === undefined || dnsSuffix === undefined) {
    throw new RegistryParseError(
      input,
      `ecr-auth: "${printable(host)}" is not an ECR registry host (expected <account>.dkr.ecr.<region>.amazonaws.com, ` +
        `a FIPS, dual-stack or other-partition form of it, or public.ecr.aws). ${howToCustom}`,
    );
  }
  const partition = PARTITIONS.find((p) => p.regions.test(region));
  if (partition === undefined) {
    throw new RegistryParseError(input, `ecr-auth: "${region}" in "${host}" is not an AWS region name. ${howToCustom}`);
  }
  const dualStack = groups['dssuffix'] !== undefined;
  if (dnsSuffix !== (dualStack ? partition.dualStackSuffix : partition.suffix)) {
    throw new RegistryParseError(input, `ecr-auth: region "${region}" does not belong to the partition of "${dnsSuffix}" in "${host}"`);
  }
  return {
    host,
    kind: 'private',
    accountId: groups['account'],
    region,
    dnsSuffix,
    fips: (groups['fips'] ?? groups['dsfips']) !== undefined,
    dualStack,
    ...image,
  };
}

/**
 * The bare host of a registry reference, lower-cased, whether or not it is an ECR host: for custom names
 * (proxies, VPC endpoint aliases) that the caller places with an explicit region.
 *
 * @example
 * ```ts
 * registryHost('https://ecr-proxy.example.com:8443/team/app:v1'); // 'ecr-proxy.example.com:8443'
 * ```
 *
 * @param input - a host, URL or image reference.
 * @returns the host (with its port, if any).
 * @throws {@link RegistryParseError} when the input is empty or malformed.
 */
export function registryHost(input: string): string {
  if (typeof input !== 'string' || input.trim() === '') throw new RegistryParseError(String(input), 'ecr-auth: the registry is empty');
  const { host } = splitReference(input);
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/.test(host)) {
    throw new RegistryParseError(input, `ecr-auth: "${printable(host)}" is not a valid host name`);
  }
  return host;
}

/**
 * Whether `input` names an ECR registry that {@link parseRegistry} accepts.
 *
 * @example
 * ```ts
 * isEcrRegistry('public.ecr.aws/nginx/nginx:latest'); // true
 * isEcrRegistry('docker.io/library/nginx');          // false
 * ```
 *
 * @param input - a host, URL or image reference.
 * @returns `true` when {@link parseRegistry} would succeed.
 */
export function isEcrRegistry(input: string): boolean {
  try {
    parseRegistry(input);
    return true;
  } catch {
    return false;
  }
}

/**
 * The DNS suffix of the partition a region belongs to, for building registry hosts.
 *
 * @example
 * ```ts
 * const host = `123456789012.dkr.ecr.${region}.${partitionDnsSuffix(region)}`;
 * ```
 *
 * @param region - an AWS region name.
 * @returns e.g. `amazonaws.com` for `us-east-1`, `amazonaws.com.cn` for `cn-north-1`; `amazonaws.com` for a region of
 *   no known partition.
 */
export function partitionDnsSuffix(region: string): string {
  return PARTITIONS.find((p) => p.regions.test(region))?.suffix ?? 'amazonaws.com';
}
