// The peers' published host-classification cases (restated as data in fixtures/peer-registry-cases.ts), run
// against our one registry rule. Each row names its source; where we differ from a peer, the row says why.
import { isEcrRegistry, parseRegistry } from 'ecr-auth';
import { describe, expect, it } from 'vitest';
import { PEER_REGISTRY_CASES } from './fixtures/peer-registry-cases.ts';

describe('parseRegistry against the peers\' test tables', () => {
  it.each(PEER_REGISTRY_CASES.map((row) => [row.source, JSON.stringify(row.input), row] as const))('%s: %s', (_source, _input, row) => {
    expect(isEcrRegistry(row.input)).toBe(row.ecr);
    if (row.ecr && row.expected) {
      const parsed = parseRegistry(row.input);
      expect(parsed.kind).toBe(row.expected.kind);
      expect(parsed.region).toBe(row.expected.region);
      if (row.expected.accountId !== undefined) expect(parsed.accountId).toBe(row.expected.accountId);
      if (row.expected.fips !== undefined) expect(parsed.fips).toBe(row.expected.fips);
    }
  });

  it('covers every peer, with refusals as well as acceptances', () => {
    const peers = ['awslabs/amazon-ecr-credential-helper', 'kubernetes/cloud-provider-aws', 'aws-actions/amazon-ecr-login', 'docker/docker-credential-helpers', 'ecr-auth lookalikes'];
    for (const peer of peers) {
      const rows = PEER_REGISTRY_CASES.filter((row) => row.source.startsWith(peer));
      expect(rows.length, peer).toBeGreaterThan(0);
    }
    expect(PEER_REGISTRY_CASES.filter((row) => row.ecr).length).toBeGreaterThan(20);
    expect(PEER_REGISTRY_CASES.filter((row) => !row.ecr).length).toBeGreaterThan(50);
  });
});
