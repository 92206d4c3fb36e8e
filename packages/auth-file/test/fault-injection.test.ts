// Item 7 of issue 9: a fault-injection suite for the file path. Counts are asserted, never timings; each check
// has a control that shows it can fail.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readFile, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthFileLockTimeoutError, inspectLock, parseAuthFile, writeContainersAuth } from '@ecr-auth/auth-file';
import { tempDirs, testToken } from '../../../test-support/real-tools/fixtures.js';
import { type LiveChild, spawnNodeChild } from './spawn-child.js';

/** Runs of the kill -9 test (each kills one writer at a random moment). Raise for a longer soak. */
const KILL_RUNS = Number(process.env['ECR_AUTH_FAULT_KILL_RUNS'] ?? 48);
/** Writers in separate PID namespaces, and entries each adds (total = product). Raise for a longer soak. */
const PID_NS_WRITERS = Number(process.env['ECR_AUTH_FAULT_PIDNS_WRITERS'] ?? 8);
const PID_NS_ENTRIES_EACH = Number(process.env['ECR_AUTH_FAULT_PIDNS_ENTRIES'] ?? 12);
const PARALLEL = 8;

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const dirs = tempDirs();
const children: LiveChild[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
  await dirs.cleanup();
});

function start(script: string, args: string[], wrapper: string[] = []): LiveChild {
  const child = spawnNodeChild(fixture(script), args, wrapper);
  children.push(child);
  return child;
}

const canUnshare = (flags: string[]): boolean => spawnSync('unshare', [...flags, 'true']).status === 0;
const UNSHARE_PID = canUnshare(['--pid', '--fork']);
const UNSHARE_MOUNT = canUnshare(['-m']) && spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt']).status === 0;

/** A file full of things that are not ours: unknown keys and values, other registries, helpers. */
const UNRELATED: Record<string, string> = {
  zeta: '1e400',
  big: '18446744073709551617',
  __proto__: '{"x": [1.0, -0]}',
  credHelpers: '{"public.ecr.aws": "ecr-login"}',
  proxies: `{"default": {"httpProxy": "http://proxy.example:3128", "pad": "${'q'.repeat(20_000)}"}}`,
};
const OTHER_REGISTRIES = Array.from({ length: 100 }, (_, i) => `other-${i}.example`);
const SEED = `{\n${Object.entries(UNRELATED)
  .map(([k, v]) => `  "${k}": ${v},\n`)
  .join('')}  "auths": {\n${OTHER_REGISTRIES.map((h) => `    "${h}": {"auth": "${Buffer.from(`u:${h}`).toString('base64')}"}`).join(',\n')}\n  }\n}\n`;

/** Whether `bytes` is a valid auth file that still holds every unrelated key and registry, exactly. */
function intact(bytes: Buffer): boolean {
  let parsed;
  try {
    parsed = parseAuthFile(bytes, 'f');
  } catch {
    return false;
  }
  const text = bytes.toString('utf8');
  if (!Object.entries(UNRELATED).every(([k, v]) => text.includes(`"${k}": ${v}`))) return false;
  return OTHER_REGISTRIES.every((h) => parsed.document.auths?.[h]?.auth === Buffer.from(`u:${h}`).toString('base64'));
}

const STRAY = /^\.auth\.json(?:\.lock(?:\.break)?)?\.ecr-auth-\d+-[0-9a-z]+\.tmp$/;

async function strays(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => STRAY.test(name));
}

describe('kill -9 at random points of a write', () => {
  it(`${KILL_RUNS} runs: every file valid with every unrelated key, no promised entry lost, no stray after the next write`, { timeout: 120_000 }, async () => {
    const counts = { runs: 0, kills: 0, invalid: 0, lostPromised: 0, killsLeavingStrays: 0, killsLeavingLock: 0, straysAfterNextWrite: 0, nextWriteFailed: 0, straysNot0600: 0 };
    const run = async (n: number) => {
      const dir = await dirs.make();
      const path = join(dir, 'auth.json');
      await writeFile(path, SEED, { mode: 0o600 });
      const writer = start('fault-writer.ts', [path, `k${n}`]);
      await writer.waitFor(/^ready$/);
      // Let it write a few times first, then kill it at a random moment of whatever it is doing.
      await writer.waitFor(new RegExp(`^wrote k${n}-${n % 3}\\.`));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25));
      writer.process.kill('SIGKILL');
      const exit = await writer.exited;
      counts.runs++;
      if (exit.signal === 'SIGKILL') counts.kills++;
      const bytes = await readFile(path);
      if (!intact(bytes)) counts.invalid++;
      const document = parseAuthFile(bytes, path).document;
      const promised = writer.lines.filter((l) => l.startsWith('wrote ')).map((l) => l.slice(6));
      counts.lostPromised += promised.filter((key) => document.auths?.[key] === undefined).length;
      const left = await strays(dir);
      if (left.length > 0) counts.killsLeavingStrays++;
      if ((await readdir(dir)).includes('auth.json.lock')) counts.killsLeavingLock++;
      for (const name of left) if (((await stat(join(dir, name))).mode & 0o777) !== 0o600) counts.straysNot0600++;
      // A minute later (simulated), the next write removes them, and takes the dead writer's lock at once.
      const old = new Date(Date.now() - 120_000);
      for (const name of left) await utimes(join(dir, name), old, old);
      try {
        await writeContainersAuth(testToken('next-write-password', `next-${n}.example:5000`), { authFile: path, lock: { timeoutMs: 5_000 } });
      } catch {
        counts.nextWriteFailed++;
      }
      counts.straysAfterNextWrite += (await strays(dir)).length;
      if (!intact(await readFile(path))) counts.invalid++;
    };
    for (let next = 0; next < KILL_RUNS; next += PARALLEL) await Promise.all(Array.from({ length: Math.min(PARALLEL, KILL_RUNS - next) }, (_, i) => run(next + i)));
    console.log(`kill -9 fault injection: ${JSON.stringify(counts)}`);
    expect(counts).toMatchObject({ runs: KILL_RUNS, kills: KILL_RUNS, invalid: 0, lostPromised: 0, straysAfterNextWrite: 0, nextWriteFailed: 0, straysNot0600: 0 });
  });

  it('controls: the checks catch a truncated file, a lost unrelated key, a stray temp file and a lost entry', async () => {
    expect(intact(Buffer.from(SEED))).toBe(true);
    expect(intact(Buffer.from(SEED.slice(0, SEED.length / 2)))).toBe(false);
    expect(intact(Buffer.from(SEED.replace('"zeta": 1e400', '"zeta": null')))).toBe(false);
    expect(intact(Buffer.from(SEED.replace('"other-7.example"', '"other-7.elsewhere"')))).toBe(false);
    const dir = await dirs.make();
    await writeFile(join(dir, '.auth.json.ecr-auth-12-abc.tmp'), '');
    await writeFile(join(dir, '.auth.json.lock.ecr-auth-12-abc.tmp'), '');
    await writeFile(join(dir, '.auth.json.swp'), '');
    expect(await strays(dir)).toHaveLength(2);
    // A fresh stray (younger than a minute) is not removed by the next write: the age rule is real.
    await writeContainersAuth(testToken('control-password', 'c.example:5000'), { authFile: join(dir, 'auth.json') });
    expect(await strays(dir)).toHaveLength(2);
  });
});

describe.skipIf(!UNSHARE_MOUNT)('a full and a read-only file system (a private 64 KiB tmpfs in unshare -m)', () => {
  it('ENOSPC: a typed error saying so, the file unchanged, nothing left; EROFS reported as EROFS', { timeout: 60_000 }, async () => {
    const dir = await dirs.make();
    const mount = join(dir, 'fs');
    await mkdir(mount);
    const child = start('fs-limits.ts', [mount], ['unshare', '-m', 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs '${mount}' && exec "$@"`, 'sh']);
    const line = await child.waitFor(/^\{/);
    const found = JSON.parse(line) as Record<string, Record<string, unknown>>;
    expect(found['filled']).toBeGreaterThan(0);
    expect(found['full']).toMatchObject({ ok: false, name: 'AuthFileAccessError', code: 'ECR_AUTH_FILE_ACCESS', syscallCode: 'ENOSPC' });
    expect(found['full']?.['message']).toContain('no space left on device');
    expect(found['afterFull']).toEqual({ unchanged: true, names: ['auth.json'] }); // no temp file, no lock
    expect(found['roomAgain']).toEqual({ ok: true, changed: true }); // control
    for (const attempt of ['readOnly', 'readOnlyNewFolder']) {
      expect(found[attempt]).toMatchObject({ ok: false, code: 'ECR_AUTH_FILE_ACCESS', syscallCode: 'EROFS' });
      expect(found[attempt]?.['message']).toContain('read-only file system');
      expect(found[attempt]?.['message']).not.toContain('ENOENT');
    }
    expect(found['oldRecursiveMkdir']).toBe('ENOENT'); // control: what the old code reported
    expect(found['afterRo']).toEqual({ unchanged: true, names: ['auth.json'] });
    expect(await readdir(mount)).toEqual([]); // the tmpfs lived only in the child's mount namespace
  });
});

describe.skipIf(!UNSHARE_PID)('concurrent writers, each in its own PID namespace (unshare --pid --fork)', () => {
  it(`${PID_NS_WRITERS} writers x ${PID_NS_ENTRIES_EACH} distinct entries: none lost`, { timeout: 300_000 }, async () => {
    const dir = await dirs.make();
    const path = join(dir, 'auth.json');
    await writeFile(path, SEED, { mode: 0o600 });
    const writers = Array.from({ length: PID_NS_WRITERS }, (_, w) => start('fault-writer.ts', [path, `ns${w}`, String(PID_NS_ENTRIES_EACH)], ['unshare', '--pid', '--fork']));
    const exits = await Promise.all(writers.map((w) => w.exited));
    const document = parseAuthFile(await readFile(path), path).document;
    const expected = writers.flatMap((_, w) => Array.from({ length: PID_NS_ENTRIES_EACH }, (_, n) => `ns${w}-${n}.example:5000`));
    const lost = expected.filter((key) => document.auths?.[key] === undefined);
    console.log(`PID-namespace writers: ${PID_NS_WRITERS} x ${PID_NS_ENTRIES_EACH} = ${expected.length} entries, lost ${lost.length}`);
    expect(exits.filter((e) => e.code === 0)).toHaveLength(PID_NS_WRITERS);
    expect(lost).toEqual([]);
    expect(intact(await readFile(path))).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['auth.json']);
  });

  it('control: a live holder in another PID namespace looks dead to a pid-and-start-time check, and is not broken', { timeout: 60_000 }, async () => {
    const dir = await dirs.make();
    const lock = join(dir, 'auth.json.lock');
    const holder = start('lock-child.ts', [lock, 'take'], ['unshare', '--pid', '--fork']);
    await holder.waitFor(/^got$/);
    const record = JSON.parse(await readFile(lock, 'utf8')) as { pid: number; start: string; pidns: string };
    expect(record.pid).toBe(1); // its pid inside its namespace: in ours, that is init
    const stat = await readFile(`/proc/${record.pid}/stat`, 'utf8');
    const startHere = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    expect(startHere).not.toBe(record.start); // so a check without the namespace would call the holder dead
    expect(record.pidns).not.toBe(execFileSync('readlink', ['/proc/self/ns/pid'], { encoding: 'utf8' }).trim());
    expect(inspectLock(lock)).toBe('held');
    await expect(writeContainersAuth(testToken('control-password', 'c.example:5000'), { authFile: join(dir, 'auth.json'), lock: { timeoutMs: 300 } })).rejects.toBeInstanceOf(AuthFileLockTimeoutError);
    expect(holder.process.exitCode).toBeNull(); // still alive, still holding
  });
});

describe('an abort signal during a lock wait', () => {
  it('SIGINT to a writer waiting for a held lock: exit 130, nothing written, the holder keeps its lock', { timeout: 60_000 }, async () => {
    const dir = await dirs.make();
    const path = join(dir, 'auth.json');
    await writeFile(path, SEED);
    const holder = start('lock-child.ts', [`${path}.lock`, 'take']);
    await holder.waitFor(/^got$/);
    const held = await readFile(`${path}.lock`, 'utf8');
    const outcomes = { aborted: 0, written: 0, exit130: 0 };
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const writer = start('abortable-writer.ts', [path]);
      await writer.waitFor(/^waiting$/);
      writer.process.kill(signal);
      const exit = await writer.exited;
      if (writer.lines.some((l) => l === `aborted: ${signal}`)) outcomes.aborted++;
      if (writer.lines.includes('written')) outcomes.written++;
      if (exit.code === 130) outcomes.exit130++;
    }
    expect(outcomes).toEqual({ aborted: 2, written: 0, exit130: 2 });
    expect(await readFile(path, 'utf8')).toBe(SEED);
    expect(await readFile(`${path}.lock`, 'utf8')).toBe(held);
    expect((await readdir(dir)).sort()).toEqual(['auth.json', 'auth.json.lock']);

    // Control: once the holder lets go, the same writer, not interrupted, writes.
    holder.process.stdin.end();
    await holder.exited;
    const writer = start('abortable-writer.ts', [path]);
    await writer.exited;
    expect(writer.lines).toContain('written');
    expect(parseAuthFile(await readFile(path), path).document.auths).toHaveProperty(['abort.example:5000']);
  });
});
