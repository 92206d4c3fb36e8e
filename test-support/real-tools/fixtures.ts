import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizationToken } from 'ecr-auth';

/** A registry host shaped like a real private ECR registry. */
export const ECR_HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

/**
 * A token with a known password, for tests that do not need the emulator.
 *
 * @param password - the password (make it distinctive so that leaks can be searched for).
 * @param registry - the registry host.
 * @param expiresInMs - lifetime from now.
 * @returns the token.
 */
export function testToken(password = 'test-password-0123456789', registry = ECR_HOST, expiresInMs = 12 * 3_600_000): AuthorizationToken {
  const now = Date.now();
  return new AuthorizationToken({
    username: 'AWS',
    password,
    registry,
    proxyEndpoint: `https://${registry}`,
    region: 'us-east-1',
    accountId: '123456789012',
    kind: 'private',
    fetchedAt: new Date(now),
    expiresAt: new Date(now + expiresInMs),
  });
}

/**
 * A fresh temporary folder and its removal, for `beforeEach`/`afterEach`.
 *
 * @param prefix - the folder name prefix.
 * @returns the path, and `cleanup()` that removes it (forcefully, even if modes were changed).
 */
export async function makeTempDir(prefix = 'ecr-auth-test-'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/**
 * Collects the temporary folders a test file makes and removes them all; call `cleanup()` in `afterEach`.
 *
 * @returns `make()` for a new folder and `cleanup()`.
 */
export function tempDirs(): { make: (prefix?: string) => Promise<string>; cleanup: () => Promise<void> } {
  const made: Array<() => Promise<void>> = [];
  return {
    async make(prefix) {
      const dir = await makeTempDir(prefix);
      made.push(dir.cleanup);
      return dir.path;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((fn) => fn()));
    },
  };
}
