import { describe, expect, it } from 'vitest';
import { defaultProxyEndpoint, isRegionName, partitionForRegion } from './partitions.ts';

describe('partitions', () => {
  it.each([
    ['us-east-1', 'aws', 'amazonaws.com'],
    ['eu-west-1', 'aws', 'amazonaws.com'],
    ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
    ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'],
    ['cn-northwest-1', 'aws-cn', 'amazonaws.com.cn'],
    ['us-iso-east-1', 'aws-iso', 'c2s.ic.gov'],
    ['us-isob-east-1', 'aws-iso-b', 'sc2s.sgov.gov'],
    ['eu-isoe-west-1', 'aws-iso-e', 'cloud.adc-e.uk'],
    ['us-isof-south-1', 'aws-iso-f', 'csp.hci.ic.gov'],
    ['eusc-de-east-1', 'aws-eusc', 'amazonaws.eu'],
  ])('%s is in %s (%s)', (region, id, suffix) => {
    expect(partitionForRegion(region)).toEqual({ id, dnsSuffix: suffix });
    expect(isRegionName(region)).toBe(true);
    expect(defaultProxyEndpoint('123456789012', region)).toBe(`https://123456789012.dkr.ecr.${region}.${suffix}`);
  });

  it('tells region names from other strings', () => {
    expect(isRegionName('ap-southeast-7')).toBe(true);
    expect(isRegionName('us-east')).toBe(false);
    expect(isRegionName('US-EAST-1')).toBe(false);
    expect(isRegionName('')).toBe(false);
  });
});
