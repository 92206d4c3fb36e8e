/**
 * The persistent token cache shared by `ecr-auth` and `docker-credential-ecr-auth`: one JSON file per token
 * source in a private folder. Only `node:` builtins and `ecr-auth`'s registry rule: the credential helper's
 * warm path loads this module and nothing heavier.
 *
 * Layout: `<cacheDir>/<sha256(scope)[0..32]>.json` (the token), `….cooldown.json` (the last failure, so that
 * every process backs off), `….lock` (the fetch lock). Folder 0700, files 0600, written atomically.
 *
 * The cache trusts only what it wrote: a folder that is not ours (another owner, a symbolic link, writable by
 * others) is not read, and a record is used only when it is a regular file of ours whose content is plausible
 * (the scope of its name, a registry of its region, a token life of at most 12 hours from its fetch time, a
 * sane size). Anything else reads as no record: a miss, never an error.
 *
 * @module
 */
import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, chmodSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_EXPIRY_MARGINS, effectiveMargins, isEcrRegistry, parseRegistry, type ExpiryMargins } from 'ecr-auth';
import { profileSettings } from './aws-profile-region.js';
import { sha256Hex } from './sha256.js';

/** An environment to read settings from (defaults to `process.env`). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The folder of the persistent token cache: `$ECR_AUTH_CACHE_DIR`, else `$AWS_ECR_CACHE_DIR` (the variable of
 * amazon-ecr-credential-helper; our files, not its `cache.json`), else `$XDG_CACHE_HOME/ecr-auth`, else
 * `~/.cache/ecr-auth`.
 *
 * @param env - the environment; defaults to `process.env`.
 * @returns an absolute or relative folder path (created on first write with mode 0700).
 *
 * @example
 * ```ts
 * import { cacheDir } from '@ecr-auth/cli';
 *
 * cacheDir({ XDG_CACHE_HOME: '/home/me/.cache' }); // '/home/me/.cache/ecr-auth'
 * cacheDir(); // from process.env
 * ```
 */
export function cacheDir(env: Env = process.env): string {
  const explicit = env['ECR_AUTH_CACHE_DIR'] || env['AWS_ECR_CACHE_DIR'];
  if (explicit) return explicit;
  const xdg = env['XDG_CACHE_HOME'];
  return join(xdg || join(env['HOME'] || homedir(), '.cache'), 'ecr-auth');
}

/**
 * Whether the persistent cache is switched off: `ECR_AUTH_NO_CACHE=1|true`, or `AWS_ECR_DISABLE_CACHE` set to
 * anything (as amazon-ecr-credential-helper reads it).
 *
 * @param env - the environment.
 * @returns `true` when tokens must neither be read from nor written to the cache.
 */
export function cacheDisabled(env: Env = process.env): boolean {
  const ours = env['ECR_AUTH_NO_CACHE'];
  return ours === '1' || ours === 'true' || (env['AWS_ECR_DISABLE_CACHE'] ?? '') !== '';
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
  /** The registry host is a FIPS one (`dkr.ecr-fips`): its token comes from a FIPS endpoint. */
  fips?: boolean | undefined;
  /** The registry host is a dual-stack one (`dkr-ecr`). */
  dualStack?: boolean | undefined;
}

/** A token as stored in the cache file. The password is in clear: the file is 0600 in a 0700 folder. */
export interface CachedToken {
  /** Format version: 2. */
  v: 2;
  /** The cache file name's hash of the scope the token was fetched for (a copied or renamed file is refused). */
  scope: string;
  /** The user name, `AWS`. */
  username: string;
  /** The password. */
  password: string;
  /** The registry ECR addressed the token to (its proxy endpoint host), or `public.ecr.aws`. */
  registry: string;
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

/** The last failed fetch of a scope: no process asks ECR again for that scope before `retryAt`. */
export interface CacheCooldown {
  /** Format version: 1. */
  v: 1;
  /** The scope hash, as in {@link CachedToken.scope}. */
  scope: string;
  /** Failures in a row. */
  failures: number;
  /** Epoch ms (local clock) before which no fetch is made. */
  retryAt: number;
  /** The error's first line (never a secret: `ecr-auth` messages carry none). */
  message: string;
}

/** How fresh a cached token is: usable as is, usable but worth renewing, or never to be used. */
export type TokenState = 'fresh' | 'refresh' | 'expired';

/** ECR tokens last 12 hours; a record claiming more (with a minute of rounding) was not written by us. */
const MAX_TOKEN_LIFETIME_MS = 12 * 3_600_000 + 60_000;
/** A larger server clock offset than a day is not a clock, it is a forged record. */
const MAX_CLOCK_OFFSET_MS = 24 * 3_600_000;
/** Records hold a token of a few kilobytes; anything much larger is not ours. */
const MAX_RECORD_BYTES = 64 * 1024;
/** How long a temporary file of a crashed writer is left alone before it is removed. */
const STRAY_AGE_MS = 60_000;
/** Failure cooldown: doubling from the first to the last value. */
const COOLDOWN_FIRST_MS = 2_000;
const COOLDOWN_MAX_MS = 60_000;

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
 * keys (`AKIA…`) in the environment are part of the scope. Without keys in the environment, a web identity
 * role (`AWS_ROLE_ARN`) and container credentials' URI are part of it. `ECR_AUTH_CACHE_NAMESPACE` adds a name of the
 * caller's choosing, to keep apart identities that would otherwise share a scope.
 *
 * @param input - kind, region and explicit settings.
 * @param env - the environment; default `process.env`.
 * @returns the scope.
 */
export function cacheScope(input: ScopeInput, env: Env = process.env): CacheScope {
  const endpoint =
    input.endpoint ?? ((input.kind === 'public' ? env['AWS_ENDPOINT_URL_ECR_PUBLIC'] : env['AWS_ENDPOINT_URL_ECR']) || env['AWS_ENDPOINT_URL'] || awsEndpointVariant(input, env));
  let identity: string;
  const keyId = env['AWS_ACCESS_KEY_ID'];
  if (input.profile !== undefined) identity = `profile:${input.profile}`;
  else if (keyId) identity = keyId.startsWith('AKIA') && !env['AWS_SESSION_TOKEN'] ? `key:${keyId}` : 'env-session';
  else identity = `profile:${env['AWS_PROFILE'] || 'default'}${sourceBeyondProfile(env)}`;
  const namespace = env['ECR_AUTH_CACHE_NAMESPACE'];
  if (namespace) identity += `|ns:${namespace}`;
  return { kind: input.kind, region: input.region, endpoint: endpoint.replace(/\/+$/, ''), identity, roleArn: input.roleArn };
}

/**
 * The credential sources the SDK's default chain reaches after the profile, named by what does not rotate: the
 * web identity role (`AWS_ROLE_ARN` with `AWS_WEB_IDENTITY_TOKEN_FILE`) and the container credentials' URI.
 * Two jobs in one HOME with different roles then never share a cached token.
 */
function sourceBeyondProfile(env: Env): string {
  const webIdentityRole = env['AWS_WEB_IDENTITY_TOKEN_FILE'] ? env['AWS_ROLE_ARN'] : undefined;
  const container = env['AWS_CONTAINER_CREDENTIALS_FULL_URI'] || env['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'];
  return `${webIdentityRole ? `|web:${webIdentityRole}` : ''}${container ? `|container:${container}` : ''}`;
}

/**
 * AWS's own endpoint, with the variant in force (a token fetched from a non-FIPS endpoint is never served where
 * FIPS is asked for): `aws`, `aws+fips`, `aws+dualstack` or `aws+fips+dualstack`, from the registry host,
 * `AWS_USE_FIPS_ENDPOINT`/`AWS_USE_DUALSTACK_ENDPOINT`, or the profile's `use_fips_endpoint`/`use_dualstack_endpoint`.
 */
function awsEndpointVariant(input: ScopeInput, env: Env): string {
  let fromProfile: Record<string, string> | undefined;
  const on = (variable: string, setting: string): boolean => {
    const value = env[variable] ?? (fromProfile ??= profileSettings(input.profile, env))[setting];
    return value?.toLowerCase() === 'true';
  };
  const fips = input.fips === true || on('AWS_USE_FIPS_ENDPOINT', 'use_fips_endpoint');
  const dualStack = input.dualStack === true || on('AWS_USE_DUALSTACK_ENDPOINT', 'use_dualstack_endpoint');
  return `aws${fips ? '+fips' : ''}${dualStack ? '+dualstack' : ''}`;
}

function scopeHash(scope: CacheScope): string {
  return sha256Hex(JSON.stringify(['ecr-auth-cache-v1', scope.kind, scope.region, scope.endpoint, scope.identity, scope.roleArn ?? ''])).slice(0, 32);
}

/**
 * The cache file name of a scope: a hash, so that no secret or identifier shows in the folder listing.
 *
 * @param scope - the scope.
 * @returns `<32 hex>.json`.
 */
export function cacheFileName(scope: CacheScope): string {
  return `${scopeHash(scope)}.json`;
}

const myUid = (): number | undefined => process.getuid?.();

/**
 * Whether the cache folder may be trusted: a real folder (not a link) owned by us and writable by no one else.
 * A folder of ours that others may only read is tightened to 0700 on the way.
 */
function folderIsOurs(dir: string): boolean {
  let info;
  try {
    info = lstatSync(dir);
  } catch {
    // Stryker disable next-line BooleanLiteral: a folder lstat cannot see holds no file either: every caller then finds nothing in it
    return false;
  }
  const uid = myUid();
  if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) return false;
  if ((info.mode & 0o022) !== 0) return false;
  // Stryker disable next-line ConditionalExpression: chmod 0700 of a folder that is already 0700 changes nothing
  if ((info.mode & 0o077) !== 0) {
    try {
      chmodSync(dir, 0o700);
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Reads one small file of ours: a regular file (never through a symbolic link, never a FIFO), owned by us, not
 * writable by others, at most `maxBytes`. Readable by others: tightened to 0600 first.
 */
function readOwnBytes(path: string, maxBytes: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    const uid = myUid();
    if (!info.isFile() || (uid !== undefined && info.uid !== uid) || (info.mode & 0o022) !== 0 || info.size > maxBytes) return undefined;
    // Stryker disable next-line ConditionalExpression: fchmod 0600 of a file that is already 0600 changes nothing
    if ((info.mode & 0o077) !== 0) fchmodSync(fd, 0o600);
    const buffer = Buffer.alloc(info.size);
    let read = 0;
    // Stryker disable next-line EqualityOperator: one more turn at the end reads 0 bytes and breaks
    while (read < buffer.length) {
      // Stryker disable next-line ArithmeticOperator: the first read of a small regular file returns it whole (read is 0), so the length never differs
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      // Stryker disable next-line ConditionalExpression: only a file truncated between fstat and read reaches it (a race no test can order)
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } catch /* Stryker disable next-line BlockStatement: an empty catch returns undefined as well */ {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function readOwnFile(path: string): string | undefined {
  return readOwnBytes(path, MAX_RECORD_BYTES)?.toString('utf8');
}

/**
 * Reads a file of ours from a private folder of ours (the same checks as for token records), up to 64 MiB.
 *
 * @param dir - the folder (see {@link ensureCacheDir}).
 * @param name - the file name.
 * @returns its bytes, or `undefined` when it is missing or not to be trusted.
 */
export function readPrivateFile(dir: string, name: string): Buffer | undefined {
  return folderIsOurs(dir) ? readOwnBytes(join(dir, name), 64 * 1024 * 1024) : undefined;
}

/**
 * Whether a parsed record is one we could have written for this scope: right shape, the scope of its file name,
 * a registry of its own kind and region, and times a real token can have.
 */
function isPlausibleRecord(value: unknown, scope: CacheScope, now: number): value is CachedToken {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: a non-object fails the v check below, and null throws there into the caller's catch: undefined either way
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Record<string, unknown>;
  const { fetchedAt, expiresAt, clockOffsetMs, registry } = t;
  if (
    t['v'] !== 2 ||
    t['scope'] !== scopeHash(scope) ||
    t['username'] !== 'AWS' ||
    typeof t['password'] !== 'string' ||
    t['password'] === '' ||
    t['kind'] !== scope.kind ||
    t['region'] !== scope.region ||
    (t['accountId'] !== undefined && (typeof t['accountId'] !== 'string' || !/^\d{12}$/.test(t['accountId']))) ||
    // Stryker disable next-line ConditionalExpression: Number.isFinite below refuses every non-number as well (kept for the type)
    typeof fetchedAt !== 'number' ||
    // Stryker disable next-line ConditionalExpression: Number.isFinite below refuses every non-number as well (kept for the type)
    typeof expiresAt !== 'number' ||
    // Stryker disable next-line ConditionalExpression: Number.isFinite below refuses every non-number as well (kept for the type)
    typeof clockOffsetMs !== 'number' ||
    // Stryker disable next-line ConditionalExpression: isEcrRegistry below refuses a non-string as well (kept for the type)
    typeof registry !== 'string' ||
    !Number.isFinite(fetchedAt) ||
    !Number.isFinite(expiresAt) ||
    !Number.isFinite(clockOffsetMs)
  ) {
    return false;
  }
  if (Math.abs(clockOffsetMs) > MAX_CLOCK_OFFSET_MS) return false;
  if (expiresAt <= fetchedAt || expiresAt - fetchedAt > MAX_TOKEN_LIFETIME_MS) return false;
  // Fetched in the past, on the server's clock (a minute of leeway for clocks read at different moments).
  if (fetchedAt > now + clockOffsetMs + 60_000) return false;
  // Stryker disable next-line ConditionalExpression: parseRegistry below throws for a non-ECR host, into the caller's catch: undefined either way
  if (!isEcrRegistry(registry)) return false;
  const parsed = parseRegistry(registry);
  return parsed.host === registry && parsed.kind === scope.kind && parsed.region === scope.region;
}

/**
 * Reads a cached token, if there is one the cache can trust (see the module notes). A missing, foreign,
 * implausible or malformed record reads as no token.
 *
 * @param dir - the cache folder.
 * @param scope - the token's scope.
 * @param now - local epoch ms; default `Date.now()`.
 * @returns the token, whatever its freshness, or `undefined`.
 */
export function readCachedToken(dir: string, scope: CacheScope, now: number = Date.now()): CachedToken | undefined {
  if (!folderIsOurs(dir)) return undefined;
  const text = readOwnFile(join(dir, cacheFileName(scope)));
  // Stryker disable next-line ConditionalExpression: JSON.parse(undefined) throws into the catch below: undefined either way
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isPlausibleRecord(value, scope, now) ? value : undefined;
  } catch /* Stryker disable next-line BlockStatement: an empty catch returns undefined as well */ {
    return undefined;
  }
}

/**
 * Makes sure the cache folder exists and is ours: creates it (and missing parents, one level at a time) with
 * mode 0700, or tightens an existing one of ours.
 *
 * @param dir - the cache folder.
 * @throws an error with code `EFTYPE` (a link or a file), `EPERM` (another owner) or `EACCES` (writable by
 *   others) when the folder may not be trusted: nothing is written into it.
 */
export function ensureCacheDir(dir: string): void {
  makeFolders(dir);
  if (folderIsOurs(dir)) return;
  let why: { code: string; what: string };
  const info = lstatSync(dir);
  const uid = myUid();
  if (!info.isDirectory()) why = { code: 'EFTYPE', what: 'is not a plain folder (a symbolic link or a file)' };
  else if (uid !== undefined && info.uid !== uid) why = { code: 'EPERM', what: `belongs to user ${info.uid}, not to us (${uid})` };
  else why = { code: 'EACCES', what: 'is writable by other users' };
  throw Object.assign(new Error(`the token cache folder ${dir} ${why.what}; remove it, or set ECR_AUTH_CACHE_DIR to a private folder`), { code: why.code });
}

/** `mkdir -p` with mode 0700, one level at a time and bounded (Node's recursive mkdir loops forever under /proc). */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let current = dir; missing.length < 64; current = dirname(current)) {
    try {
      lstatSync(current);
      break;
    } catch {
      missing.push(current);
      // Stryker disable next-line ConditionalExpression: lstat of / (or of . for a relative path) always succeeds, so the loop ends there first
      if (dirname(current) === current) break;
    }
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Writes a small file atomically: a new 0600 file in the same folder, fsync'ed, renamed over the old one. */
function writeOwnFile(dir: string, name: string, text: string): void {
  ensureCacheDir(dir);
  removeStrays(dir);
  const path = join(dir, name);
  const temp = join(dir, `.${name}.ecr-auth-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  let renamed = false;
  try {
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    // Stryker disable next-line BooleanLiteral: removing the temporary name after the rename finds nothing to remove
    renamed = true;
  } finally {
    // Stryker disable next-line ConditionalExpression: removing the temporary name after the rename finds nothing to remove (the false variant is killed by the failed-rename test)
    if (!renamed) removeQuietly(temp);
  }
}

function removeQuietly(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Removes temporary files of crashed writers (ours, by name) older than a minute: they may hold a token. */
function removeStrays(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!/^\.[0-9a-f]{32}\.(?:cooldown\.)?json\.ecr-auth-\d+-[0-9a-z]+\.tmp$/.test(name) && !/^[0-9a-f]{32}\.json\.\d+\.[0-9a-z]+\.tmp$/.test(name)) continue;
    try {
      // Stryker disable next-line EqualityOperator: > and >= differ only for a file exactly 60,000 ms old
      if (now - lstatSync(join(dir, name)).mtimeMs > STRAY_AGE_MS) unlinkSync(join(dir, name));
    } catch {
      // Gone already, or its writer just finished.
    }
  }
}

/**
 * Stores a token, atomically. Concurrent writers never leave a torn file; the last one wins. A folder that is
 * not ours is refused (see {@link ensureCacheDir}).
 *
 * @param dir - the cache folder (created 0700 when missing).
 * @param scope - the token's scope.
 * @param token - the token (its `scope` field is set here).
 */
export function writeCachedToken(dir: string, scope: CacheScope, token: Omit<CachedToken, 'scope' | 'v'>): void {
  const record: CachedToken = { ...token, v: 2, scope: scopeHash(scope) };
  writeOwnFile(dir, cacheFileName(scope), JSON.stringify(record));
}

/**
 * Removes a cached token, if there is one.
 *
 * @param dir - the cache folder.
 * @param scope - the token's scope.
 * @returns whether a file was removed.
 */
export function removeCachedToken(dir: string, scope: CacheScope): boolean {
  return removeQuietly(join(dir, cacheFileName(scope)));
}

const cooldownName = (scope: CacheScope) => `${scopeHash(scope)}.cooldown.json`;

/**
 * The failure cooldown of a scope, when one is in force: every process (helpers started by parallel pulls)
 * then answers from what it has instead of asking ECR again.
 *
 * @param dir - the cache folder.
 * @param scope - the scope.
 * @param now - local epoch ms.
 * @returns the cooldown, or `undefined` when none is in force (or its record is not ours).
 */
export function readCooldown(dir: string, scope: CacheScope, now: number = Date.now()): CacheCooldown | undefined {
  if (!folderIsOurs(dir)) return undefined;
  const text = readOwnFile(join(dir, cooldownName(scope)));
  // Stryker disable next-line ConditionalExpression: JSON.parse(undefined) throws into the catch below: undefined either way
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<CacheCooldown>;
    const valid =
      value.v === 1 &&
      value.scope === scopeHash(scope) &&
      typeof value.failures === 'number' &&
      typeof value.retryAt === 'number' &&
      typeof value.message === 'string' &&
      value.retryAt <= now + COOLDOWN_MAX_MS;
    return valid && (value.retryAt as number) > now ? (value as CacheCooldown) : undefined;
  } catch /* Stryker disable next-line BlockStatement: an empty catch returns undefined as well */ {
    return undefined;
  }
}

/**
 * Records a failed fetch: the cooldown doubles from 2 s to 60 s with each failure in a row.
 *
 * @param dir - the cache folder.
 * @param scope - the scope.
 * @param message - the error's first line.
 * @param now - local epoch ms.
 * @returns the cooldown recorded.
 */
export function recordFailure(dir: string, scope: CacheScope, message: string, now: number = Date.now()): CacheCooldown {
  let failures = 1;
  const text = folderIsOurs(dir) ? readOwnFile(join(dir, cooldownName(scope))) : undefined;
  try {
    // Stryker disable next-line ConditionalExpression: JSON.parse(undefined) throws into the catch below, which starts over as undefined does
    const previous = text === undefined ? undefined : (JSON.parse(text) as Partial<CacheCooldown>);
    // Failures in a row: the previous one ended no more than a cooldown ago.
    // Stryker disable next-line OptionalChaining: previous is undefined only without a record, and the TypeError lands in the catch below, which starts over as well
    if (previous?.scope === scopeHash(scope) && typeof previous.failures === 'number' && typeof previous.retryAt === 'number' && now - previous.retryAt < COOLDOWN_MAX_MS) {
      failures = Math.min(previous.failures + 1, 32);
    }
  } catch {
    // A torn or foreign record: start over.
  }
  // Stryker disable next-line StringLiteral: split always returns at least one element, so the ?? fallback is never taken
  const cooldown: CacheCooldown = { v: 1, scope: scopeHash(scope), failures, retryAt: now + Math.min(COOLDOWN_MAX_MS, COOLDOWN_FIRST_MS * 2 ** (failures - 1)), message: message.split('\n')[0] ?? '' };
  writeOwnFile(dir, cooldownName(scope), JSON.stringify(cooldown));
  return cooldown;
}

/**
 * Clears the failure cooldown of a scope (after a successful fetch).
 *
 * @param dir - the cache folder.
 * @param scope - the scope.
 */
export function clearFailure(dir: string, scope: CacheScope): void {
  removeQuietly(join(dir, cooldownName(scope)));
}

/**
 * The fetch lock file of a scope (see `tryAcquireLock` in `@ecr-auth/auth-file`).
 *
 * @param dir - the cache folder.
 * @param scope - the scope.
 * @returns `<dir>/<hash>.lock`.
 */
export function fetchLockPath(dir: string, scope: CacheScope): string {
  return join(dir, `${scopeHash(scope)}.lock`);
}

/**
 * The scope hashes of the token records in the cache folder (for `list`).
 *
 * @param dir - the cache folder.
 * @returns the file names of token records (`<hash>.json`).
 */
export function cachedRecordNames(dir: string): string[] {
  if (!folderIsOurs(dir)) return [];
  try {
    return readdirSync(dir).filter((name) => /^[0-9a-f]{32}\.json$/.test(name));
  } catch {
    return [];
  }
}
