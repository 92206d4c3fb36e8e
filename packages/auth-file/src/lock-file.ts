// The one lock rule of the project, shared by the auth-file lock and the CLI's token-fetch lock. Synchronous,
// and importing only node:fs, node:os and node:path: it sits on the credential helper's start-up path.
import { type Stats, closeSync, constants, fstatSync, linkSync, lstatSync, openSync, readSync, readFileSync, readlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * A lock taken by {@link tryAcquireLock}.
 *
 * @example
 * ```ts
 * const lock = tryAcquireLock('/home/me/.ecr/cache/abc.lock');
 * if (lock) {
 *   try { fetchAndCache(); } finally { lock.release(); }
 * }
 * ```
 */
export interface LockHandle {
  /** The lock file. */
  readonly path: string;
  /** Removes the lock file if it is still ours (a stalled owner may have lost it to a waiter). Never throws. */
  release(): void;
}

/**
 * Options of {@link tryAcquireLock} and {@link inspectLock}.
 *
 * @example
 * ```ts
 * tryAcquireLock(path, { staleMs: 10_000 }); // a lock not provably dead is broken once 10 s old
 * ```
 */
export interface TryLockOptions {
  /**
   * A lock whose owner cannot be proven dead (another host, another PID namespace, no `/proc`) is broken once it
   * is older than this, in milliseconds. An unreadable or empty lock (a legacy writer, or a
   * crash on a file system without hard links) is broken once older than this or 5 s, whichever is shorter.
   *
   * @defaultValue `30_000` (30 s)
   */
  staleMs?: number;
}

/**
 * What {@link inspectLock} found: no lock, a lock of a live (or not yet stale) owner, or a lock that the next
 * {@link tryAcquireLock} would break.
 *
 * @example
 * ```ts
 * if (inspectLock(path) === 'held') waitForTheOwnersResult();
 * ```
 */
export type LockState = 'free' | 'held' | 'stale';

const DEFAULT_STALE_MS = 30_000;
const UNREADABLE_STALE_MS = 5_000;
// The `.break` lock is held for a few system calls; one this old was left by a crash or a stopped process.
const BREAK_STALE_MS = 2_000;
const MAX_RECORD_BYTES = 4_096;
// Hard links are how a lock appears whole; these mean the file system has none (FAT, some FUSE and SMB mounts).
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/** Who holds a lock: enough to tell, on Linux, whether that process is still the same one. */
interface OwnerRecord {
  pid: number;
  uid: number;
  host: string;
  boot: string;
  pidns: string;
  start: string;
  nonce: string;
}

interface Identity extends Omit<OwnerRecord, 'nonce'> {
  /** Whether `/proc` shows this process's PID namespace (false in `unshare --pid` without a new /proc). */
  procIsOurs: boolean;
}

/**
 * Test seams, not part of the package's API (index.ts does not export them). A test replaces one to produce what a
 * root test process on Linux cannot: another user, a missing `/proc`, a file system without hard links (and one too
 * full for the lock once the temporary file is written), or another waiter acting between our judging a lock stale and
 * breaking it. Call {@link forgetIdentity} after changing `uid`
 * or the `/proc` readers.
 */
export const lockSeams = {
  // Stryker disable next-line LogicalOperator,OptionalChaining,UnaryOperator: getuid is missing only on Windows; as root (the tests) 0 && -1 is 0 too. An unprivileged owner's uid is checked by a child process run as nobody (lock-file.test.ts)
  uid: (): number => process.getuid?.() ?? -1,
  readProc: (path: string): string => readFileSync(path, 'utf8'),
  readProcLink: (path: string): string => readlinkSync(path),
  link: (existing: string, path: string): void => linkSync(existing, path),
  /** The exclusive create that replaces the hard link on a file system without them. */
  create: (path: string, text: string): void => writeFileSync(path, text, { flag: 'wx', mode: 0o600 }),
  beforeBreak: (_lockPath: string): void => undefined,
};

let self: Identity | undefined;

/** Drops the cached identity of this process (tests, after changing {@link lockSeams}). */
export function forgetIdentity(): void {
  self = undefined;
}

function readOr(read: () => string, fallback: string): string {
  let value = fallback;
  try {
    value = read();
  } catch {
    // unreadable: the fallback
  }
  return value;
}

/** Field 22 of `/proc/<pid>/stat`: the start time in clock ticks since boot. The name (field 2) may hold spaces. */
function startTimeOf(statText: string): string {
  return statText.slice(statText.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

// What an unreadable /proc/self gives: anything that is not a pid.
// Stryker disable next-line StringLiteral: any text that is not our pid does the same
const NO_PID = '';

function identity(): Identity {
  // Stryker disable next-line ConditionalExpression: reading the identity again gives the same values; the cache only saves four /proc reads
  if (self === undefined) {
    self = {
      pid: process.pid,
      uid: lockSeams.uid(),
      host: hostname(),
      boot: readOr(() => lockSeams.readProc('/proc/sys/kernel/random/boot_id').trim(), ''),
      pidns: readOr(() => lockSeams.readProcLink('/proc/self/ns/pid'), ''),
      start: readOr(() => startTimeOf(lockSeams.readProc('/proc/self/stat')), ''),
      procIsOurs: readOr(() => lockSeams.readProcLink('/proc/self'), NO_PID) === String(process.pid),
    };
  }
  return self;
}

function nonce(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}${Math.random().toString(36).slice(2, 12)}`;
}

function parseRecord(text: string): OwnerRecord | undefined {
  let value: unknown = null;
  try {
    value = JSON.parse(text);
  } catch {
    // not JSON: no record
  }
  // null cannot be destructured; any other JSON scalar has no pid.
  if (value === null) return undefined;
  const { pid, uid, host, boot, pidns, start, nonce: recordNonce } = value as Partial<Record<keyof OwnerRecord, unknown>>;
  if (typeof pid !== 'number' || typeof host !== 'string') return undefined;
  const text_ = (v: unknown): string => (typeof v === 'string' ? v : '');
  // Stryker disable next-line ConditionalExpression: a uid that is not a number never equals our numeric uid, like -1
  return { pid, uid: typeof uid === 'number' ? uid : -1, host, boot: text_(boot), pidns: text_(pidns), start: text_(start), nonce: text_(recordNonce) };
}

/**
 * Whether the owner is provably gone: same host, boot and PID namespace (and a `/proc` of that namespace), and its
 * pid is free or now names a process started at another time. Anything less proves nothing.
 */
function provablyDead(owner: OwnerRecord): boolean {
  const me = identity();
  if (!me.procIsOurs || me.boot === '' || me.pidns === '' || owner.start === '') return false;
  if (owner.host !== me.host || owner.boot !== me.boot || owner.pidns !== me.pidns) return false;
  // With hidepid, another user's processes are invisible to us: only judge our own (or, as root, anyone's).
  if (me.uid !== 0 && owner.uid !== me.uid) return false;
  if (!Number.isSafeInteger(owner.pid) || owner.pid <= 0) return false;
  let stat: string;
  try {
    stat = lockSeams.readProc(`/proc/${owner.pid}/stat`);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
  return startTimeOf(stat) !== owner.start;
}

/** A lock file as read once: its identity and content. */
interface SeenLock {
  dev: number;
  ino: number;
  mtimeMs: number;
  text: string;
}

/**
 * Reads a lock file without following a link and without blocking on a FIFO. `undefined` when there is none.
 * A lock path that is not a regular file is an error (code `EFTYPE`): nobody can take that lock.
 */
function readLock(path: string): SeenLock | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw notALock(path, 'symbolic-link');
    // Linux refuses to open a socket (ENXIO): say what is there.
    if (code === 'ENXIO') throw notALock(path, kindOf(lstatSync(path)));
    throw error;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw notALock(path, kindOf(info));
    const buffer = Buffer.alloc(MAX_RECORD_BYTES);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return { dev: info.dev, ino: info.ino, mtimeMs: info.mtimeMs, text: buffer.toString('utf8', 0, length) };
  } finally {
    closeSync(fd);
  }
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'directory';
  if (info.isFIFO()) return 'fifo';
  if (info.isSocket()) return 'socket';
  if (info.isCharacterDevice()) return 'character-device';
  // What is left: Linux has no other kind of file that is not a regular one (a link is seen as ELOOP before).
  return 'block-device';
}

/** The error for a lock path that holds something other than a regular file; `kind` says what. */
function notALock(path: string, kind: string): NodeJS.ErrnoException & { kind: string } {
  return Object.assign(new Error(`${path} is not a lock file (it is a ${kind.replace('-', ' ')}): remove it`), { code: 'EFTYPE', path, kind });
}

function judge(seen: SeenLock, staleMs: number): 'held' | 'stale' {
  const age = Date.now() - seen.mtimeMs;
  const owner = parseRecord(seen.text);
  if (owner === undefined) return age > Math.min(staleMs, UNREADABLE_STALE_MS) ? 'stale' : 'held';
  return provablyDead(owner) || age > staleMs ? 'stale' : 'held';
}

/**
 * Puts `text` at `path` whole, or not at all: written to a temporary file, then hard-linked to `path` (which
 * fails if `path` exists). Returns false when `path` exists.
 */
function placeWhole(path: string, text: string): boolean {
  const temporary = join(dirname(path), `.${basename(path)}.ecr-auth-${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
  try {
    // Stryker disable next-line StringLiteral: the temporary name is fresh and random; 'x' only guards a collision that does not happen
    writeFileSync(temporary, text, { flag: 'wx', mode: 0o600 });
    try {
      lockSeams.link(temporary, path);
      return true;
    } catch (error) {
      // Stryker disable next-line StringLiteral: an error without a code is in neither set, whatever the stand-in
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return false;
      if (!NO_HARD_LINKS.has(code)) throw error;
    }
    // No hard links here: an exclusive create; a crash before the write leaves an empty lock, judged by age.
    try {
      lockSeams.create(path, text);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // Never created (the folder is missing or full), or already gone.
    }
  }
}

function sameLock(a: SeenLock, b: SeenLock): boolean {
  return (
    a.ino === b.ino &&
    a.text === b.text &&
    // Stryker disable next-line ConditionalExpression: both reads are of one path in one folder, on one device
    a.dev === b.dev
  );
}

function removeIfStill(path: string, seen: SeenLock): boolean {
  try {
    const now = readLock(path);
    if (now === undefined) return true;
    if (!sameLock(now, seen)) return false;
    unlinkSync(path);
  } catch {
    return false;
  }
  return true;
}

/**
 * Deletes the lock that was judged stale, and only that one: under a short second lock (`<lock>.break`), so
 * that a waiter never deletes the lock another waiter has just taken after breaking the same stale one.
 */
function breakLock(path: string, seen: SeenLock, me: string): boolean {
  const breakPath = `${path}.break`;
  if (!placeWhole(breakPath, me)) {
    const other = readLock(breakPath);
    if (other !== undefined && judge(other, BREAK_STALE_MS) === 'stale') removeIfStill(breakPath, other);
    return false;
  }
  const mine = readLock(breakPath);
  try {
    return removeIfStill(path, seen);
  } finally {
    // Stryker disable next-line ConditionalExpression: removeIfStill with no record removes nothing either (sameLock throws, and is caught)
    if (mine !== undefined) removeIfStill(breakPath, mine);
  }
}

function ownerText(): string {
  const { procIsOurs: _procIsOurs, ...me } = identity();
  return JSON.stringify({ ...me, nonce: nonce(), at: new Date().toISOString() });
}

/**
 * Takes an exclusive lock shared by every process on every host that sees the file, without waiting. The lock
 * file is never empty: the owner record (pid, uid, host, Linux boot id, PID namespace, process start time and a
 * nonce) is written to a temporary file and hard-linked into place. An existing lock is broken at once when its
 * owner is provably dead (same host, boot and PID namespace, and its pid gone or reused); otherwise only once
 * older than `staleMs`. Breaking is race-free among waiters: only the exact lock judged is deleted.
 *
 * @example
 * ```ts
 * const lock = tryAcquireLock(join(cacheDir, 'token.lock'), { staleMs: 30_000 });
 * if (lock === undefined) return waitForCacheFile();
 * try {
 *   writeCacheFile(await fetchToken());
 * } finally {
 *   lock.release();
 * }
 * ```
 *
 * @param lockPath - the lock file (its folder must exist).
 * @param options - see {@link TryLockOptions}.
 * @returns the lock, or `undefined` when a live (or not provably dead and younger than `staleMs`) owner holds it.
 * @throws the file system error for anything but "held" (`EACCES`, `ENOENT` for a missing folder, `ENOSPC`...);
 *   an error with code `EFTYPE` (and `kind`: `directory`, `symbolic-link`, `fifo`...) when `lockPath` is not a
 *   regular file.
 */
export function tryAcquireLock(lockPath: string, options: TryLockOptions = {}): LockHandle | undefined {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const text = ownerText();
  // Two rounds: a broken lock is retaken at once; losing that race again means someone else holds it now.
  for (let round = 0; round < 2; round++) {
    if (placeWhole(lockPath, text)) return handle(lockPath, text);
    const seen = readLock(lockPath);
    if (seen === undefined) continue; // released between our link and our read
    if (judge(seen, staleMs) === 'held') return undefined;
    lockSeams.beforeBreak(lockPath);
    if (!breakLock(lockPath, seen, text)) return undefined;
  }
  return undefined;
}

function handle(path: string, text: string): LockHandle {
  return {
    path,
    release(): void {
      try {
        const now = readLock(path);
        // Stryker disable next-line OptionalChaining: with no lock, now.text throws, and the catch below does the same nothing
        if (now?.text === text) unlinkSync(path);
      } catch {
        // Never throws: a lock we cannot read or remove is not ours to report on.
      }
    },
  };
}

/**
 * Reads a lock's state without changing anything: `free` (no lock file), `held` (its owner may be alive), or
 * `stale` (the next {@link tryAcquireLock} would break it).
 *
 * @example
 * ```ts
 * switch (inspectLock('/home/me/.ecr/cache/abc.lock')) {
 *   case 'held': // someone is fetching: wait for their result
 *   case 'stale': // a crashed fetch: take over
 *   case 'free': // nobody
 * }
 * ```
 *
 * @param lockPath - the lock file.
 * @param options - see {@link TryLockOptions}.
 * @returns the state.
 * @throws the file system error when the lock cannot be read (`EACCES`...), or `EFTYPE` when it is not a file.
 */
export function inspectLock(lockPath: string, options: TryLockOptions = {}): LockState {
  const seen = readLock(lockPath);
  if (seen === undefined) return 'free';
  return judge(seen, options.staleMs ?? DEFAULT_STALE_MS);
}
