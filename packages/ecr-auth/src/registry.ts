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

const IPV4_SUFFIXES = [
  'amazonaws.com',
  'amazonaws.com.cn',
  'amazonaws.eu',
  'sc2s.sgov.gov',
  'c2s.ic.gov',
  'cloud.adc-e.uk',
  'csp.hci.ic.gov',
];
const DUAL_STACK_SUFFIXES = ['on.aws', 'on.amazonwebservices.com.cn'];

const escape = (suffix: string): string => suffix.replaceAll('.', '\\.');
const PRIVATE_HOST = new RegExp(
  '^(?<account>\\d{12})\\.' +
    '(?:dkr\\.ecr(?<fips>-fips)?\\.(?<region>[a-z0-9-]+)\\.(?<suffix>' + IPV4_SUFFIXES.map(escape).join('|') + ')' +
    '|dkr-ecr(?<dsfips>-fips)?\\.(?<dsregion>[a-z0-9-]+)\\.(?<dssuffix>' + DUAL_STACK_SUFFIXES.map(escape).join('|') + '))$',
);
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;
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

/** Splits `[scheme://]host[/repo][:tag][@digest]` into parts; validates only the shape of the parts. */
function splitReference(input: string): SplitReference {
  let rest = input.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (scheme) {
    if (!/^https?$/i.test(scheme[1] ?? '')) throw new RegistryParseError(input, `ecr-auth: unsupported scheme in "${input}"; use a bare host or https://host`);
    rest = rest.slice(scheme[0].length);
  }
  const slash = rest.indexOf('/');
  const host = (slash < 0 ? rest : rest.slice(0, slash)).toLowerCase();
  let path = slash < 0 ? '' : rest.slice(slash + 1);
  let digest: string | undefined;
  const at = path.indexOf('@');
  if (at >= 0) {
    digest = path.slice(at + 1);
    path = path.slice(0, at);
    if (!DIGEST.test(digest)) throw new RegistryParseError(input, `ecr-auth: "${digest}" in "${input}" is not a valid digest (expected sha256:<hex>)`);
  }
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(tag)) throw new RegistryParseError(input, `ecr-auth: "${tag}" in "${input}" is not a valid tag`);
  }
  path = path.replace(/\/+$/, '');
  if (path !== '' && !REPOSITORY.test(path)) {
    throw new RegistryParseError(input, `ecr-auth: "${path}" in "${input}" is not a valid repository name`);
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
    throw new RegistryParseError(input.slice(0, 64) + '…', `ecr-auth: the registry reference is ${input.length} characters long, over the limit of ${MAX_INPUT}`);
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
  if (!groups || region === undefined || dnsSuffix === undefined) {
    throw new RegistryParseError(
      input,
      `ecr-auth: "${host}" is not an ECR registry host (expected <account>.dkr.ecr.<region>.amazonaws.com, ` +
        `a FIPS, dual-stack or other-partition form of it, or public.ecr.aws). ${howToCustom}`,
    );
  }
  if (!REGION.test(region)) {
    throw new RegistryParseError(input, `ecr-auth: "${region}" in "${host}" is not an AWS region name. ${howToCustom}`);
  }
  if (dnsSuffix.endsWith('.cn') !== region.startsWith('cn-')) {
    throw new RegistryParseError(input, `ecr-auth: region "${region}" does not belong to the partition of "${dnsSuffix}" in "${host}"`);
  }
  return {
    host,
    kind: 'private',
    accountId: groups['account'],
    region,
    dnsSuffix,
    fips: (groups['fips'] ?? groups['dsfips']) !== undefined,
    dualStack: groups['dssuffix'] !== undefined,
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
    throw new RegistryParseError(input, `ecr-auth: "${host}" is not a valid host name`);
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
 * @returns e.g. `amazonaws.com` for `us-east-1`, `amazonaws.com.cn` for `cn-north-1`.
 */
export function partitionDnsSuffix(region: string): string {
  if (region.startsWith('cn-')) return 'amazonaws.com.cn';
  if (region.startsWith('us-isob-')) return 'sc2s.sgov.gov';
  if (region.startsWith('us-isof-')) return 'csp.hci.ic.gov';
  if (region.startsWith('us-iso-')) return 'c2s.ic.gov';
  if (region.startsWith('eu-isoe-')) return 'cloud.adc-e.uk';
  if (region.startsWith('eusc-')) return 'amazonaws.eu';
  return 'amazonaws.com';
}
