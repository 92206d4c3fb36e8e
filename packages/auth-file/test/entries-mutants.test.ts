// What is written for an entry, that mutation testing showed unobserved (docs/quality.md): every credential
// field of a replaced entry goes (an old registrytoken beside the new auth would win in some tools), other
// fields stay; the result reports the earliest expiry of the entries written. Real files.
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizationToken } from 'ecr-auth';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addressTokens, findConfiguredHelper, removeAuthEntries, removeAuthFileEntries, setAuthEntries, tryAcquireLock, writeAuthEntries } from '@ecr-auth/auth-file';

const HOST_A = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const HOST_B = '210987654321.dkr.ecr.us-east-1.amazonaws.com';
const tokenFor = (registry: string, expiresAt: Date, password: string): AuthorizationToken =>
  new AuthorizationToken({ username: 'AWS', password, registry, proxyEndpoint: `https://${registry}`, region: 'us-east-1', kind: 'private', fetchedAt: new Date(expiresAt.getTime() - 12 * 3_600_000), expiresAt });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecr-auth-entries-mutants-'));
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

/** Holds the lock of `path` in this process (alive), as if taken `ageMs` ago. */
function heldFor(path: string, ageMs: number): void {
  rmSync(`${path}.lock`, { force: true });
  expect(tryAcquireLock(`${path}.lock`)).toBeDefined();
  const then = (Date.now() - ageMs) / 1000;
  utimesSync(`${path}.lock`, then, then);
}

/** A credential helper `docker-credential-<name>` in a folder of its own that records each stdin it gets. */
function recordingHelper(name: string): { folder: string; command: string; seen: () => string[] } {
  const folder = mkdtempSync(join(dir, 'bin-'));
  const command = join(folder, `docker-credential-${name}`);
  writeFileSync(command, `#!/bin/sh\ncat >> "${command}.seen"\necho >> "${command}.seen"\n`, { mode: 0o755 });
  return { folder, command, seen: () => (existsSync(`${command}.seen`) ? readFileSync(`${command}.seen`, 'utf8').trim().split('\n') : []) };
}

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
  // The lock is held by this process (alive), 10 s old. The waits of a run without these options (10 s each, the
  // default timeout) must not age it past the default staleMs (30 s), or that run passes too: so the case that
  // needs staleMs comes first, and the held case gets a lock of its own.
  it('passes the lock options on: staleMs decides whether a held lock is broken', async () => {
    const path = join(dir, 'config.json');
    writeFileSync(path, '{}');
    const requests = [{ key: HOST_A, token: tokenFor(HOST_A, new Date(Date.now() + 3_600_000), 'entries-password-lock') }];
    heldFor(path, 10_000);
    // Older than the staleMs given (the default, 30 s, is not): broken, and the entry written.
    await writeAuthEntries(path, requests, { honorsCredsStore: true, lock: { staleMs: 5_000, timeoutMs: 50 } });
    expect(Object.keys((JSON.parse(readFileSync(path, 'utf8')) as { auths: object }).auths)).toEqual([HOST_A]);
    // Control: held (younger than staleMs), and the short timeout ends the wait.
    heldFor(path, 10_000);
    await expect(writeAuthEntries(path, requests, { honorsCredsStore: true, lock: { staleMs: 60_000, timeoutMs: 50 } })).rejects.toMatchObject({ name: 'AuthFileLockTimeoutError' });
  });

  it('removeAuthFileEntries passes the lock options on too', async () => {
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ auths: { [HOST_A]: { auth: 'eDp5' } } }));
    heldFor(path, 10_000);
    expect((await removeAuthFileEntries(path, [HOST_A], { lock: { staleMs: 5_000, timeoutMs: 50 } })).removed).toEqual([HOST_A]);
    heldFor(path, 10_000);
    await expect(removeAuthFileEntries(path, [HOST_B], { lock: { staleMs: 60_000, timeoutMs: 50 } })).rejects.toMatchObject({ name: 'AuthFileLockTimeoutError' });
  });

  it('honours credsStore when asked to (Docker): the entry is shadowed; not when not (containers tools)', async () => {
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ credsStore: 'desktop' }));
    const requests = [{ key: HOST_A, token: tokenFor(HOST_A, new Date(Date.now() + 3_600_000), 'entries-password-store') }];
    await expect(writeAuthEntries(path, requests, { honorsCredsStore: true })).rejects.toMatchObject({ name: 'EntryShadowedError' });
    expect((await writeAuthEntries(path, requests, { honorsCredsStore: false })).entries[0]?.storage).toBe('file');
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

describe('store-in-helper', () => {
  const token = (password: string) => tokenFor(HOST_A, new Date(Date.now() + 3_600_000), password);

  it('hands the helper the token addressed to the host of the key', async () => {
    const helper = recordingHelper('probe');
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ credHelpers: { 'mirror.example:5000': 'probe' } }));
    const result = await writeAuthEntries(path, [{ key: 'mirror.example:5000', token: token('entries-password-mirror') }], { honorsCredsStore: true, shadowed: 'store-in-helper', credentialHelper: { command: helper.command } });
    expect(result.entries[0]).toMatchObject({ storage: 'credential-helper', helper: 'probe' });
    expect(helper.seen().map((line) => (JSON.parse(line) as { ServerURL: string }).ServerURL)).toEqual(['mirror.example:5000']);
  });

  it('finds docker-credential-<name> on PATH when given no helper options', async () => {
    const helper = recordingHelper('probe');
    vi.stubEnv('PATH', `${helper.folder}:${process.env['PATH'] ?? ''}`);
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ credHelpers: { [HOST_A]: 'probe' } }));
    await writeAuthEntries(path, [{ key: HOST_A, token: token('entries-password-path') }], { honorsCredsStore: true, shadowed: 'store-in-helper' });
    expect(helper.seen()).toHaveLength(1);
  });

  it('never runs our own helper (it serves the file), and writes to a missing file what no helper shadows', async () => {
    const ours = recordingHelper('ecr-auth');
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ credHelpers: { [HOST_A]: 'ecr-auth' } }));
    const result = await writeAuthEntries(path, [{ key: HOST_A, token: token('entries-password-own') }], { honorsCredsStore: true, shadowed: 'store-in-helper', credentialHelper: { command: ours.command } });
    expect(result.entries[0]).toMatchObject({ storage: 'served-by-helper' });
    expect(ours.seen()).toEqual([]);
    const missing = join(dir, 'new', 'config.json');
    const written = await writeAuthEntries(missing, [{ key: HOST_A, token: token('entries-password-new') }], { honorsCredsStore: true, shadowed: 'store-in-helper', credentialHelper: { command: ours.command } });
    expect(written).toMatchObject({ created: true, entries: [{ storage: 'file' }] });
  });
});

describe('addressTokens', () => {
  it('keeps a token that already names the registry as it is; readdresses one that does not', () => {
    const token = tokenFor(HOST_A, new Date(Date.now() + 3_600_000), 'entries-password-address');
    expect(addressTokens(token, HOST_A)[0]).toBe(token);
    expect(addressTokens(token, '127.0.0.1:5000')[0]?.registry).toBe('127.0.0.1:5000');
  });
});

describe('which keys go with which', () => {
  it('a repository-scoped key set takes no twins away; a host key set takes every http(s):// key of the host', () => {
    const auths = { 'https://h.example/team/app': { auth: 'b2xk' }, 'https://h.example': { auth: 'b2xk' }, 'h.example/team/app': { auth: 'b2xk' } };
    expect(setAuthEntries({ auths }, [{ key: 'h.example/team/app', auth: 'bmV3' }]).removedTwins).toEqual([]);
    expect(setAuthEntries({ auths }, [{ key: 'h.example', auth: 'bmV3' }]).removedTwins).toEqual(['https://h.example/team/app', 'https://h.example']);
  });

  it('removing a repository-scoped key removes that key only, in its own letter case', () => {
    const auths = { 'h.example/team/app': { auth: 'b2xk' }, 'h.example/Team/App': { auth: 'b2xk' }, 'https://h.example/team/app': { auth: 'b2xk' } };
    expect(removeAuthEntries({ auths }, ['h.example/team/app']).removed).toEqual(['h.example/team/app']);
  });

  it('removes a host given among several, in any letter case, its twins, and with includeScoped its scoped keys', () => {
    const auths = { 'h1.example': { auth: 'b2xk' }, 'https://h2.example': { auth: 'b2xk' }, 'h1.example/team': { auth: 'b2xk' }, 'other.example/team': { auth: 'b2xk' } };
    expect(removeAuthEntries({ auths }, ['H1.EXAMPLE', 'h2.example']).removed).toEqual(['h1.example', 'https://h2.example']);
    expect(removeAuthEntries({ auths }, ['H1.EXAMPLE', 'h2.example'], { includeScoped: true }).removed).toEqual(['h1.example', 'https://h2.example', 'h1.example/team']);
  });

  it('includeScoped takes every host/... key of the host too; without it only the http(s):// twins go', () => {
    const auths = { 'http://h.example/team/app': { auth: 'b2xk' }, 'h.example/cache/app': { auth: 'b2xk' }, 'other.example/team': { auth: 'b2xk' } };
    expect(removeAuthEntries({ auths }, ['h.example'], { includeScoped: true }).removed).toEqual(['http://h.example/team/app', 'h.example/cache/app']);
    expect(removeAuthEntries({ auths }, ['h.example']).removed).toEqual(['http://h.example/team/app']);
  });

  it('a document whose auths is null has nothing to remove', () => {
    expect(removeAuthEntries({ auths: null } as never, ['h.example'])).toEqual({ document: { auths: null }, removed: [] });
  });
});
