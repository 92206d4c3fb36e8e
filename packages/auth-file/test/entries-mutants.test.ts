// What is written for an entry, that mutation testing showed unobserved (docs/quality.md): every credential
// field of a replaced entry goes (an old registrytoken beside the new auth would win in some tools), other
// fields stay; the result reports the earliest expiry of the entries written. Real files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizationToken } from 'ecr-auth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setAuthEntries, writeAuthEntries } from '@ecr-auth/auth-file';

const HOST_A = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const HOST_B = '210987654321.dkr.ecr.us-east-1.amazonaws.com';
const tokenFor = (registry: string, expiresAt: Date, password: string): AuthorizationToken =>
  new AuthorizationToken({ username: 'AWS', password, registry, proxyEndpoint: `https://${registry}`, region: 'us-east-1', kind: 'private', fetchedAt: new Date(expiresAt.getTime() - 12 * 3_600_000), expiresAt });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecr-auth-entries-mutants-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('setAuthEntries', () => {
  it('replaces every credential field of an entry together, and keeps the others', () => {
    const { document } = setAuthEntries(
      { auths: { [HOST_A]: { auth: 'b2xk', username: 'old', password: 'old', identitytoken: 'old-id', registrytoken: 'old-reg', email: 'me@example.com' } } },
      [{ key: HOST_A, auth: 'bmV3' }],
    );
    expect(document.auths?.[HOST_A]).toEqual({ auth: 'bmV3', email: 'me@example.com' });
  });
});

describe('writeAuthEntries', () => {
  it('reports the earliest expiry of the entries it wrote, whatever their order', async () => {
    const soon = new Date(Date.now() + 3_600_000);
    const later = new Date(Date.now() + 7_200_000);
    for (const order of [[soon, later], [later, soon]] as const) {
      const path = join(dir, `config-${order[0].getTime()}.json`);
      writeFileSync(path, '{}');
      const result = await writeAuthEntries(path, [
        { key: HOST_A, token: tokenFor(HOST_A, order[0], 'entries-password-a') },
        { key: HOST_B, token: tokenFor(HOST_B, order[1], 'entries-password-b') },
      ], { honorsCredsStore: true });
      expect(result.expiresAt.getTime()).toBe(soon.getTime());
      expect(result.registries).toEqual([HOST_A, HOST_B]);
      const written = JSON.parse(readFileSync(path, 'utf8')) as { auths: Record<string, { auth: string }> };
      expect(Buffer.from(written.auths[HOST_A]?.auth ?? '', 'base64').toString()).toBe('AWS:entries-password-a');
    }
  });
});
