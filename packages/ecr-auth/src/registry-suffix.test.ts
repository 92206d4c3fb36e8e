// partitionDnsSuffix against a table written out here, not derived from the code under test: a wrong
// suffix for one partition builds hosts that no registry has.
import { describe, expect, it } from 'vitest';
import { parseRegistry, partitionDnsSuffix } from './registry.js';

const SUFFIXES: [string, string][] = [
  ['us-east-1', 'amazonaws.com'],
  ['mx-central-1', 'amazonaws.com'],
  ['us-gov-west-1', 'amazonaws.com'],
  ['cn-north-1', 'amazonaws.com.cn'],
  ['us-iso-east-1', 'c2s.ic.gov'],
  ['us-isob-east-1', 'sc2s.sgov.gov'],
  ['eu-isoe-west-1', 'cloud.adc-e.uk'],
  ['us-isof-south-1', 'csp.hci.ic.gov'],
  ['eusc-de-east-1', 'amazonaws.eu'],
];

describe('partitionDnsSuffix', () => {
  it.each(SUFFIXES)('%s -> %s, and the host built with it parses back', (region, suffix) => {
    expect(partitionDnsSuffix(region)).toBe(suffix);
    expect(parseRegistry(`123456789012.dkr.ecr.${region}.${suffix}`).region).toBe(region);
  });

  it('falls back to amazonaws.com for a region it does not know', () => {
    expect(partitionDnsSuffix('xx-nowhere-9')).toBe('amazonaws.com');
  });

  it('refuses a host whose suffix belongs to another partition', () => {
    for (const [region] of SUFFIXES) {
      for (const [, other] of SUFFIXES) {
        if (other !== partitionDnsSuffix(region)) expect(() => parseRegistry(`123456789012.dkr.ecr.${region}.${other}`), `${region}.${other}`).toThrow();
      }
    }
  });
});
