// What is written for an entry, that mutation testing showed unobserved (docs/quality.md): every credential
// field of a replaced entry goes (an old registrytoken beside the new auth would win in some tools), other
// fields stay; the result reports the earliest expiry of the entries written. Real files.
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizationToken } from 'ecr-auth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findConfiguredHelper, removeAuthEntries, setAuthEntries, tryAcquireLock, writeAuthEntries } from '@ecr-auth/auth-file';

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

describe('setAuthEntries, removeAuthEntries, findConfiguredHelper', () => {
  it('removes the stale twin of any one of several hosts set', () => {
    const { document, removedTwins } = setAuthEntries({ auths: { [`https://${HOST_A}`]: { auth: 'b2xk' }, 'other.example.com': { auth: 'eDp5' } } }, [
      { key: HOST_A, auth: 'bmV3' },
      { key: HOST_B, auth: 'bmV3' },
    ]);
    expect(removedTwins).toEqual([`https://${HOST_A}`]);
    expect(Object.keys(document.auths ?? {}).sort()).toEqual([HOST_A, HOST_B, 'other.example.com'].sort());
  });

  it('removes nothing from a document without auths', () => {
    expect(removeAuthEntries({ credsStore: 'desktop' }, [HOST_A])).toEqual({ document: { credsStore: 'desktop' }, removed: [] });
  });

  it('does not take an empty credHelpers entry for a helper', () => {
    expect(findConfiguredHelper({ credHelpers: { [HOST_A]: '' } }, HOST_A, { honorsCredsStore: true })).toBeUndefined();
    expect(findConfiguredHelper({ credHelpers: { [HOST_A]: '' }, credsStore: 'desktop' }, HOST_A, { honorsCredsStore: true })).toEqual({ source: 'credsStore', helper: 'desktop' });
    // Control: a named one is.
    expect(findConfiguredHelper({ credHelpers: { [HOST_A]: 'ecr-login' } }, HOST_A, { honorsCredsStore: true })).toEqual({ source: 'credHelpers', helper: 'ecr-login' });
  });
});

describe('writeAuthEntries', () => {
  it('passes the lock options on: staleMs decides whether a held lock is broken', async () => {
    const path = join(dir, 'config.json');
    writeFileSync(path, '{}');
    expect(tryAcquireLock(`${path}.lock`)).toBeDefined();
    const tenSecondsAgo = (Date.now() - 10_000) / 1000;
    utimesSync(`${path}.lock`, tenSecondsAgo, tenSecondsAgo);
    const requests = [{ key: HOST_A, token: tokenFor(HOST_A, new Date(Date.now() + 3_600_000), 'entries-password-lock') }];
    // Control: held (younger than staleMs), and the short timeout ends the wait.
    await expect(writeAuthEntries(path, requests, { honorsCredsStore: true, lock: { staleMs: 60_000, timeoutMs: 50 } })).rejects.toMatchObject({ name: 'AuthFileLockTimeoutError' });
    // Older than the staleMs given (the default, 30 s, is not): broken, and the entry written.
    await writeAuthEntries(path, requests, { honorsCredsStore: true, lock: { staleMs: 5_000, timeoutMs: 50 } });
    expect(Object.keys((JSON.parse(readFileSync(path, 'utf8')) as { auths: object }).auths)).toEqual([HOST_A]);
  });

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
