// removeDockerConfig decisions that mutation testing showed unobserved (docs/quality.md): a list of
// registries removes each of them, and the caller's lock options reach the file lock. Real files.
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tryAcquireLock } from '@ecr-auth/auth-file';
import { removeDockerConfig } from '@ecr-auth/docker-config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const A = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const B = '210987654321.dkr.ecr.eu-west-1.amazonaws.com';
const OTHER = 'registry.example.com';
let dir: string;
const config = () => join(dir, 'config.json');
const hosts = () => Object.keys((JSON.parse(readFileSync(config(), 'utf8')) as { auths: Record<string, unknown> }).auths).sort();
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecr-auth-docker-remove-'));
  writeFileSync(config(), JSON.stringify({ auths: { [A]: { auth: 'YTpi' }, [`https://${B}`]: { auth: 'YzpkCg==' }, [OTHER]: { auth: 'ZTpm' } } }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('removeDockerConfig', () => {
  it('removes every registry of a list, and only those', async () => {
    await removeDockerConfig([A, B], { configDir: dir });
    expect(hosts()).toEqual([OTHER]);
  });

  it('removes a single registry given as a string (the control)', async () => {
    await removeDockerConfig(A, { configDir: dir });
    expect(hosts()).toEqual([`https://${B}`, OTHER].sort());
  });

  it('passes the lock options on: staleMs decides whether a held lock is broken', async () => {
    const lockPath = `${config()}.lock`;
    const holdLockAgedTenSeconds = (): void => {
      expect(tryAcquireLock(lockPath)).toBeDefined();
      const tenSecondsAgo = (Date.now() - 10_000) / 1000;
      utimesSync(lockPath, tenSecondsAgo, tenSecondsAgo);
    };
    // Control: a staleMs above the lock's age keeps it held, and the short timeout given ends the wait.
    holdLockAgedTenSeconds();
    await expect(removeDockerConfig(A, { configDir: dir, lock: { staleMs: 60_000, timeoutMs: 50 } })).rejects.toMatchObject({ name: 'AuthFileLockTimeoutError' });
    expect(hosts()).toContain(A);
    // Below its age (the default, 30 s, is above): the lock is broken and the entry removed. A fresh lock of
    // the same age, so that the defaults' own waits (10 s each) cannot age it past 30 s when the options are lost.
    rmSync(lockPath, { force: true });
    holdLockAgedTenSeconds();
    await removeDockerConfig(A, { configDir: dir, lock: { staleMs: 5_000, timeoutMs: 50 } });
    expect(hosts()).not.toContain(A);
  });
});
