/**
 * The persistent token cache shared by `ecr-auth` and `docker-credential-ecr-auth`: one JSON file per
 * token source in a private folder. Only `node:` builtins: the credential helper's warm path loads this
 * module and nothing heavier.
 *
 * Layout: `<cacheDir>/<sha256(scope)[0..32]>.json`, folder 0700, files 0600, written atomically (temporary
 * file in the same folder, fsync, rename). The file name is a hash of the scope (endpoint, region, kind,
 * profile, role, long-term access key id): no secret and no rotating value in it.
 *
 * @module
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, chmodSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EXPIRY_MARGINS, effectiveMargins, type ExpiryMargins } from 'ecr-auth';

/** An environment to read settings from (defaults to `process.env`). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The folder of the persistent token cache: `$ECR_AUTH_CACHE_DIR`, else `$XDG_CACHE_HOME/ecr-auth`, else
 * `~/.cache/ecr-auth`.
 *
 * @param env - the environment; defaults to `process.env`.
 * @returns an absolute or relative folder path (created on first write with mode 0700).
 */
export function cacheDir(env: Env = process.env): string {
  const explicit = env['ECR_AUTH_CACHE_DIR'];
  if (explicit) return explicit;
  const xdg = env['XDG_CACHE_HOME'];
  return join(xdg || join(env['HOME'] || homedir(), '.cache'), 'ecr-auth');
}

/** What a cached token was issued for; the cache file name is a hash of it. */
export interface CacheScope {
  /** Private ECR or ECR Public. */
  kind: 'private' | 'public';
  /** The region that issued the token. */
  region: string;
  /** The API endpoint used (`aws` for AWS's own). */
  endpoint: string;
  /** Who asked: `profile:NAME`, `key:AKIA…` (long-term keys only) or `env-session`. */
  identity: string;
  /** The role assumed, if any. */
  roleArn: string | undefined;
}

/** What decides a {@link CacheScope}. */
export interface ScopeInput {
  /** Private ECR or ECR Public. */
  kind: 'private' | 'public';
  /** The region that issues the token. */
  region: string;
  /** An explicit endpoint (flag or config file); otherwise the standard `AWS_ENDPOINT_URL_*` variables. */
  endpoint?: string | undefined;
  /** An explicit profile (flag or config file); otherwise `AWS_PROFILE` or the environment's keys. */
  profile?: string | undefined;
  /** A role to assume. */
  roleArn?: string | undefined;
}

/** A token as stored in the cache file. The password is in clear: the file is 0600 in a 0700 folder. */
export interface CachedToken {
  /** Format version: 1. */
  v: 1;
  /** The user name, `AWS`. */
  username: string;
  /** The password. */
  password: string;
  /** The registry ECR addressed the token to (its proxy endpoint host), or `public.ecr.aws`. */
  registry: string;
  /** The proxy endpoint URL. */
  proxyEndpoint: string;
  /** The region that issued it. */
  region: string;
  /** The account, when known. */
  accountId?: string | undefined;
  /** Private ECR or ECR Public. */
  kind: 'private' | 'public';
  /** Epoch ms, server clock. */
  fetchedAt: number;
  /** Epoch ms, server clock. */
  expiresAt: number;
  /** Server clock minus local clock when fetched, ms. */
  clockOffsetMs: number;
}

/** How fresh a cached token is: usable as is, usable but worth renewing, or never to be used. */
export type TokenState = 'fresh' | 'refresh' | 'expired';

/**
 * How fresh a cached token is, on the server's clock.
 *
 * @param token - the cached token.
 * @param now - local epoch ms; default `Date.now()`.
 * @param margins - the configured margins (see `ExpiryMargins` in `ecr-auth`).
 * @returns `fresh`, `refresh` (still valid, renew it) or `expired` (inside the safety margin: never use).
 */
export function tokenState(token: CachedToken, now: number = Date.now(), margins: ExpiryMargins = DEFAULT_EXPIRY_MARGINS): TokenState {
  const { safety, refreshAhead } = effectiveMargins(token.expiresAt - token.fetchedAt, margins);
  const remaining = token.expiresAt - (now + token.clockOffsetMs);
  if (remaining <= safety) return 'expired';
  if (remaining <= refreshAhead) return 'refresh';
  return 'fresh';
}

/**
 * The cache scope of a request, from explicit settings and the standard AWS environment.
 *
 * Temporary credentials (SSO, assumed roles, `AWS_SESSION_TOKEN`) rotate their access key ids, so the
 * identity is the profile name, or `env-session` for temporary keys in the environment; only long-term
 * keys (`AKIA…`) in the environment are part of the scope. `ECR_AUTH_CACHE_NAMESPACE` adds a name of the
 * caller's choosing, to keep apart identities that would otherwise share a scope.
 *
 * @param input - kind, region and explicit settings.
 * @param env - the environment; default `process.env`.
 * @returns the scope.
 */
export function cacheScope(input: ScopeInput, env: Env = process.env): CacheScope {
  const endpoint =
    input.endpoint ?? (input.kind === 'public' ? env['AWS_ENDPOINT_URL_ECR_PUBLIC'] : env['AWS_ENDPOINT_URL_ECR']) ?? env['AWS_ENDPOINT_URL'] ?? 'aws';
  let identity: string;
  const keyId = env['AWS_ACCESS_KEY_ID'];
  if (input.profile !== undefined) identity = `profile:${input.profile}`;
  else if (keyId) identity = keyId.startsWith('AKIA') && !env['AWS_SESSION_TOKEN'] ? `key:${keyId}` : 'env-session';
  else identity = `profile:${env['AWS_PROFILE'] || 'default'}`;
  const namespace = env['ECR_AUTH_CACHE_NAMESPACE'];
  if (namespace) identity += `|ns:${namespace}`;
  return { kind: input.kind, region: input.region, endpoint: endpoint.replace(/\/+$/, ''), identity, roleArn: input.roleArn };
}

/**
 * The cache file name of a scope: a hash, so that no secret or identifier shows in the folder listing.
 *
 * @param scope - the scope.
 * @returns `<32 hex>.json`.
 */
export function cacheFileName(scope: CacheScope): string {
  const material = JSON.stringify(['ecr-auth-cache-v1', scope.kind, scope.region, scope.endpoint, scope.identity, scope.roleArn ?? '']);
  return `${sha256Hex(material).slice(0, 32)}.json`;
}

function isCachedToken(value: unknown): value is CachedToken {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Record<string, unknown>;
  return (
    t['v'] === 1 &&
    typeof t['username'] === 'string' &&
    typeof t['password'] === 'string' &&
    t['password'] !== '' &&
    typeof t['registry'] === 'string' &&
    typeof t['proxyEndpoint'] === 'string' &&
    typeof t['region'] === 'string' &&
    (t['kind'] === 'private' || t['kind'] === 'public') &&
    Number.isFinite(t['fetchedAt']) &&
    Number.isFinite(t['expiresAt']) &&
    Number.isFinite(t['clockOffsetMs'])
  );
}

/**
 * Reads a cached token. A missing, unreadable or malformed file reads as no token.
 *
 * @param dir - the cache folder.
 * @param scope - the token's scope.
 * @returns the token, whatever its freshness, or `undefined`.
 */
export function readCachedToken(dir: string, scope: CacheScope): CachedToken | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(join(dir, cacheFileName(scope)), 'utf8'));
    return isCachedToken(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates the cache folder with mode 0700, or tightens an existing one of ours that others can read.
 *
 * @param dir - the cache folder.
 */
export function ensureCacheDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = statSync(dir);
  if ((stat.mode & 0o077) !== 0 && stat.uid === process.getuid?.()) chmodSync(dir, 0o700);
}

/**
 * Stores a token, atomically: a new 0600 file in the same folder, fsync'ed, then renamed over the old one.
 * Concurrent writers never leave a torn file; the last one wins.
 *
 * @param dir - the cache folder (created 0700 when missing).
 * @param scope - the token's scope.
 * @param token - the token.
 */
export function writeCachedToken(dir: string, scope: CacheScope, token: CachedToken): void {
  ensureCacheDir(dir);
  const path = join(dir, cacheFileName(scope));
  const temp = `${path}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, JSON.stringify(token));
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
}

/**
 * Removes a cached token, if there is one.
 *
 * @param dir - the cache folder.
 * @param scope - the token's scope.
 * @returns whether a file was removed.
 */
export function removeCachedToken(dir: string, scope: CacheScope): boolean {
  try {
    unlinkSync(join(dir, cacheFileName(scope)));
    return true;
  } catch {
    return false;
  }
}

/**
 * Takes the fetch lock of a scope (`<name>.lock`, created exclusively), so that concurrent cache misses (say,
 * several `docker pull`s at once) make one API call: the others wait for the cache file instead. A lock
 * older than `staleMs` is considered abandoned and taken over.
 *
 * @param dir - the cache folder.
 * @param scope - the scope.
 * @param staleMs - age after which a lock is abandoned.
 * @returns a release function, or `undefined` when another process holds the lock.
 */
export function tryLockFetch(dir: string, scope: CacheScope, staleMs: number): (() => void) | undefined {
  const path = join(dir, `${cacheFileName(scope)}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      ensureCacheDir(dir);
      closeSync(openSync(path, 'wx', 0o600));
      return () => {
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return () => undefined; // cannot lock: fetch unlocked
      try {
        if (Date.now() - statSync(path).mtimeMs < staleMs) return undefined;
        unlinkSync(path);
      } catch {
        // raced with its owner: try again
      }
    }
  }
  return undefined;
}

/**
 * Whether the fetch lock of a scope is held.
 *
 * @param dir - the cache folder.
 * @param scope - the scope.
 * @returns `true` while the lock file exists.
 */
export function isFetchLocked(dir: string, scope: CacheScope): boolean {
  try {
    statSync(join(dir, `${cacheFileName(scope)}.lock`));
    return true;
  } catch {
    return false;
  }
}

// SHA-256 in plain JavaScript, for the cache file names: loading `node:crypto` costs the credential helper's
// start-up path more (a few ms) than hashing a short string here. Not for secrets or large inputs.

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/**
 * The SHA-256 digest of a UTF-8 string, in hex.
 *
 * @param text - the input.
 * @returns 64 lower-case hex digits.
 */
export function sha256Hex(text: string): string {
  const data = new TextEncoder().encode(text);
  const bitLength = data.length * 8;
  const padded = new Uint8Array(Math.ceil((data.length + 9) / 64) * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 0x100000000));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const w15 = w[i - 15] as number;
      const w2 = w[i - 2] as number;
      const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
      const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
      w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h as unknown as [number, number, number, number, number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + (K[i] as number) + (w[i] as number)) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] = ((h[0] as number) + a) >>> 0;
    h[1] = ((h[1] as number) + b) >>> 0;
    h[2] = ((h[2] as number) + c) >>> 0;
    h[3] = ((h[3] as number) + d) >>> 0;
    h[4] = ((h[4] as number) + e) >>> 0;
    h[5] = ((h[5] as number) + f) >>> 0;
    h[6] = ((h[6] as number) + g) >>> 0;
    h[7] = ((h[7] as number) + hh) >>> 0;
  }
  return Array.from(h, (x) => x.toString(16).padStart(8, '0')).join('');
}
