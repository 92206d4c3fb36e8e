/**
 * AWS partitions as far as the emulator needs them: which DNS suffix a region's
 * ECR registry host ends with.
 *
 * @module
 */

/** A partition the emulator knows, with the DNS suffix of its ECR registry hosts. */
export interface PartitionInfo {
  /** The partition id, as in ARNs: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, … */
  readonly id: string;
  /** The DNS suffix of the partition, such as `amazonaws.com` or `amazonaws.com.cn`. */
  readonly dnsSuffix: string;
}

/** Region-prefix rules, most specific first (`us-isob-` before `us-iso-`). */
const RULES: readonly (readonly [prefix: string, info: PartitionInfo])[] = [
  ['us-isob-', { id: 'aws-iso-b', dnsSuffix: 'sc2s.sgov.gov' }],
  ['us-isof-', { id: 'aws-iso-f', dnsSuffix: 'csp.hci.ic.gov' }],
  ['us-iso-', { id: 'aws-iso', dnsSuffix: 'c2s.ic.gov' }],
  ['eu-isoe-', { id: 'aws-iso-e', dnsSuffix: 'cloud.adc-e.uk' }],
  ['us-gov-', { id: 'aws-us-gov', dnsSuffix: 'amazonaws.com' }],
  ['eusc-', { id: 'aws-eusc', dnsSuffix: 'amazonaws.eu' }],
  ['cn-', { id: 'aws-cn', dnsSuffix: 'amazonaws.com.cn' }],
];

const COMMERCIAL: PartitionInfo = { id: 'aws', dnsSuffix: 'amazonaws.com' };

/** Every partition id the emulator knows, as ARNs spell them. */
export const PARTITION_IDS: readonly string[] = [COMMERCIAL.id, ...RULES.map(([, info]) => info.id)];

/** Region names as AWS forms them: `us-east-1`, `us-gov-west-1`, `us-isob-east-1`, `eusc-de-east-1`. */
const REGION_PATTERN = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;

/**
 * Whether `region` looks like an AWS region name (`us-east-1`, `cn-north-1`, `us-isob-east-1`).
 * The emulator answers for any such region, known to AWS or not.
 *
 * @example
 * ```ts
 * isRegionName('eu-west-1'); // true
 * isRegionName('EU_WEST');   // false
 * ```
 */
export function isRegionName(region: string): boolean {
  return REGION_PATTERN.test(region);
}

/**
 * The partition a region belongs to, by its prefix; anything not matched is the commercial `aws`
 * partition.
 *
 * @example
 * ```ts
 * partitionForRegion('cn-north-1').dnsSuffix; // 'amazonaws.com.cn'
 * ```
 */
export function partitionForRegion(region: string): PartitionInfo {
  for (const [prefix, info] of RULES) {
    if (region.startsWith(prefix)) return info;
  }
  return COMMERCIAL;
}

/**
 * The real private ECR registry endpoint for an account in a region:
 * `https://<account>.dkr.ecr.<region>.<dnsSuffix>`.
 *
 * @example
 * ```ts
 * defaultProxyEndpoint('123456789012', 'us-gov-west-1');
 * // 'https://123456789012.dkr.ecr.us-gov-west-1.amazonaws.com'
 * ```
 */
export function defaultProxyEndpoint(accountId: string, region: string): string {
  return `https://${accountId}.dkr.ecr.${region}.${partitionForRegion(region).dnsSuffix}`;
}
