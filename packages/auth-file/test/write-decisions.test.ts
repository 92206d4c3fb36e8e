// Decisions about what an auth file holds and where it is written that mutation testing showed unobserved (issue
// 13): how many byte order marks are dropped, the layout of an emptied or grown object, which repository paths
// make a scoped key, a link that cannot be read, a failure that is not a system error, the path checked again
// just before the rename, folders that appear or dangle while they are created, and a read that fails or leaks.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthFileAccessError, AuthFileInvalidError, AuthFileNotRegularError, assertRegistryHost, parseAuthFile, resolveWriteTarget, scopedKey, serializeAuthFile, updateAuthFile } from '@ecr-auth/auth-file';
import { atomicSeams } from '../src/atomic-write.js';
import { ensureFolder } from '../src/ensure-folder.js';
import { readRegularFile } from '../src/read-auth-file.js';

const originalOpenFolder = atomicSeams.openFolder;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecr-auth-write-decisions-'));
});
afterEach(() => {
  atomicSeams.openFolder = originalOpenFolder;
  rmSync(dir, { recursive: true, force: true });
});

const writeA = () => ({ document: { auths: { a: { auth: 'eDp5' } } }, result: 'r' });
const BOM = [0xef, 0xbb, 0xbf];

describe('parseAuthFile: byte order marks', () => {
  it('drops one leading BOM of the bytes, not a second one', () => {
    expect(parseAuthFile(Buffer.from([...BOM, ...Buffer.from('{}')]), '/p').document).toEqual({}); // control
    const twice = (() => {
      try {
        return parseAuthFile(Buffer.from([...BOM, ...BOM, ...Buffer.from('{}')]), '/p');
      } catch (error) {
        return error;
      }
    })();
    expect(twice).toBeInstanceOf(AuthFileInvalidError);
    expect(twice).toMatchObject({ problem: 'not-json' });
  });

  it('keeps a BOM inside the document (only one at the very start is dropped)', () => {
    const inner = '{"auths": {"a\uFEFFb": {"auth": "x\uFEFF"}}}';
    expect(parseAuthFile(inner, '/p').document).toEqual({ auths: { 'a\uFEFFb': { auth: 'x\uFEFF' } } });
    expect(parseAuthFile(`\uFEFF${inner}`, '/p').document).toEqual({ auths: { 'a\uFEFFb': { auth: 'x\uFEFF' } } }); // control: the leading one goes
    expect(parseAuthFile(Buffer.from(inner), '/p').document).toEqual({ auths: { 'a\uFEFFb': { auth: 'x\uFEFF' } } });
  });
});

describe('serializeAuthFile: the layout of an edited object', () => {
  const edit = (text: string, change: (auths: Record<string, unknown>) => void): string => {
    const parsed = parseAuthFile(text, '/p');
    const auths = { ...(parsed.document.auths as Record<string, unknown>) };
    change(auths);
    return serializeAuthFile({ ...parsed.document, auths } as never, parsed.indent, parsed);
  };

  it('an object emptied of all its members is written {}, without the whitespace that was before its brace', () => {
    const text = '{\n\t"auths": {\n\t\t"a": {},\n\t\t"b": {}\n\t}\n}\n';
    expect(edit(text, (auths) => delete auths['a'])).toBe('{\n\t"auths": {\n\t\t"b": {}\n\t}\n}\n'); // control: one stays
    expect(edit(text, (auths) => { delete auths['a']; delete auths['b']; })).toBe('{\n\t"auths": {}\n}\n');
  });

  it('a new member closes the object on a line of its own when nothing but the brace followed the last one', () => {
    // The file has line breaks elsewhere (after the document; after the closing brace of auths): not before it.
    expect(edit('{"auths": {"a": {}}}\n', (auths) => (auths['b'] = {}))).toBe('{"auths": {"a": {},\n\t\t"b": {}\n\t}}\n');
    expect(edit('{"auths": {"a": {}}\n}\n', (auths) => (auths['b'] = {}))).toBe('{"auths": {"a": {},\n\t\t"b": {}\n\t}\n}\n');
    // control: a line break before the brace is kept as the file had it
    expect(edit('{"auths": {"a": {}\n}}\n', (auths) => (auths['b'] = {}))).toBe('{"auths": {"a": {},\n\t\t"b": {}\n}}\n');
  });
});

describe('scopedKey: repository paths', () => {
  it.each(['team--x/app', 'ab-cd/ef', 'a-b/c', 'x/app--y', 'x/ab-cd', 'a.b_c__d/e---f'])('takes %s', (repository) => {
    expect(scopedKey('h.example', repository)).toBe(`h.example/${repository}`);
  });

  it.each(['team-/app', '-a/b', 'a/b-', 'a/-b', 'a//b', 'a_-b/c', 'A/b'])('refuses %s (control)', (repository) => {
    expect(() => scopedKey('h.example', repository)).toThrow(/not a valid repository path/);
  });
});

describe('assertRegistryHost: IP literals', () => {
  it.each(['[::1]', '[::1]:5000', '[fe80::1]:443', '[::ffff:127.0.0.1]'])('takes %s', (host) => {
    expect(assertRegistryHost(host)).toBe(host);
  });

  it.each(['[]', '[::1', '[g::1]', '[::1]/x', '::1'])('refuses %s (control)', (host) => {
    expect(() => assertRegistryHost(host)).toThrow(/is not a bare host/);
  });
});

describe('resolveWriteTarget: what a refusal says', () => {
  it('a path ending in "/" is refused as a directory; a link to itself as a loop, its cause saying so', async () => {
    const error = await resolveWriteTarget(`${dir}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileNotRegularError);
    expect(error).toMatchObject({ kind: 'directory', path: `${dir}/` });
    await expect(resolveWriteTarget(join(dir, 'config.json'))).resolves.toBe(join(dir, 'config.json')); // control
    symlinkSync('config.json', join(dir, 'config.json'));
    const loop = await resolveWriteTarget(join(dir, 'config.json')).catch((e: unknown) => e);
    expect(loop).toMatchObject({ syscallCode: 'ELOOP', path: join(dir, 'config.json') });
    expect((loop as Error & { cause: Error }).cause.message).toBe('too many symbolic links');
  });
});

/** A zombie process (a child its parent never reaps): its /proc/<pid>/exe is a link that cannot be read. */
async function withZombie(run: (exeLink: string, liveExeLink: string) => Promise<void>): Promise<void> {
  const parent = spawn('sh', ['-c', 'sleep 0 & exec sleep 30'], { stdio: 'ignore' });
  try {
    let zombie: string | undefined;
    for (let i = 0; i < 200 && zombie === undefined; i++) {
      for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
        const stat = (() => {
          try {
            return readFileSync(`/proc/${pid}/stat`, 'utf8');
          } catch {
            return '';
          }
        })();
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (fields[0] === 'Z' && fields[1] === String(parent.pid)) zombie = pid;
      }
      if (zombie === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    if (zombie === undefined) throw new Error('no zombie appeared');
    await run(`/proc/${zombie}/exe`, `/proc/${parent.pid}/exe`);
  } finally {
    parent.kill('SIGKILL');
  }
}

describe.runIf(process.platform === 'linux')('resolveWriteTarget: a link that cannot be read', () => {
  it('is an access error naming the link, not a loop; a readable one is followed (control)', async () => {
    await withZombie(async (exeLink, liveExeLink) => {
      expect(await resolveWriteTarget(liveExeLink)).toBe(readlinkSync(liveExeLink)); // control: the sleep binary
      const error = await resolveWriteTarget(exeLink).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthFileAccessError);
      expect(error).toMatchObject({ path: exeLink, syscallCode: 'ENOENT' });
      expect((error as Error).message).toContain(`cannot read the link ${exeLink}: `);
    });
  });
});

describe('updateAuthFile: failures on the way to the rename', () => {
  it('a failure that is not a system error is passed on as it is; a system error becomes an access error (control)', async () => {
    const path = join(dir, 'auth.json');
    const odd = new Error('not a system error');
    atomicSeams.openFolder = () => Promise.reject(odd);
    await expect(updateAuthFile(path, writeA)).rejects.toBe(odd);
    atomicSeams.openFolder = () => Promise.reject(Object.assign(new Error('EIO: simulated'), { code: 'EIO' }));
    await expect(updateAuthFile(join(dir, 'other.json'), writeA)).rejects.toBeInstanceOf(AuthFileAccessError);
  });

  it('a path that cannot be inspected just before the rename is refused as such, and nothing is written', async () => {
    mkdirSync(join(dir, 'sub'));
    const path = join(dir, 'sub', 'auth.json');
    const error = await updateAuthFile(path, () => {
      renameSync(join(dir, 'sub'), join(dir, 'moved')); // another program, while we computed the new content
      writeFileSync(join(dir, 'sub'), '');
      return writeA();
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileAccessError);
    expect((error as Error).message).toContain(`cannot inspect ${path}: a part of the path is not a folder`);
    expect(readdirSync(join(dir, 'moved')).filter((name) => !name.endsWith('.lock'))).toEqual([]);
    // control: left alone, the same update writes the file
    mkdirSync(join(dir, 'other'));
    const other = join(dir, 'other', 'auth.json');
    await expect(updateAuthFile(other, writeA)).resolves.toMatchObject({ created: true });
    expect(JSON.parse(readFileSync(other, 'utf8'))).toEqual(writeA().document);
  });
});

describe('ensureFolder', () => {
  it('folders created meanwhile by a concurrent writer are taken as they are', async () => {
    const folder = join(dir, 'a', 'b', 'c', 'd');
    const results = await Promise.all(Array.from({ length: 8 }, () => ensureFolder(folder)));
    expect(results.every((created) => created)).toBe(true); // each saw them missing: they raced for every level
    expect(existsSync(folder)).toBe(true);
    await expect(ensureFolder(folder)).resolves.toBe(false); // control: nothing left to create
  });

  it('a dangling link where a level belongs is refused naming it (it exists, but is no folder)', async () => {
    symlinkSync(join(dir, 'nowhere'), join(dir, 'link'));
    const error = await ensureFolder(join(dir, 'link', 'sub')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileAccessError);
    expect(error).toMatchObject({ path: join(dir, 'link'), syscallCode: 'EEXIST' });
    expect((error as Error).message).toContain(`cannot create the folder ${join(dir, 'link')}: `);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    // control: once the link leads to a folder, the level under it is created
    mkdirSync(join(dir, 'nowhere'));
    await expect(ensureFolder(join(dir, 'link', 'sub'))).resolves.toBe(true);
    expect(existsSync(join(dir, 'nowhere', 'sub'))).toBe(true);
  });

  it.runIf(process.platform === 'linux')('a file system that refuses the folder (ENOENT from mkdir) says so in the cause', async () => {
    const error = await ensureFolder('/proc/self/ecr-auth-x/y').catch((e: unknown) => e);
    expect(error).toMatchObject({ path: '/proc/self/ecr-auth-x', syscallCode: 'ENOTSUP' });
    expect((error as Error & { cause: Error }).cause.message).toBe('the file system does not allow creating a folder here');
  });

  it('too many missing levels: the cause says so, as ENOENT', async () => {
    const deep = join(dir, ...Array.from({ length: 33 }, (_, i) => `d${i}`));
    const error = await ensureFolder(deep).catch((e: unknown) => e);
    expect(error).toMatchObject({ path: deep, syscallCode: 'ENOENT' });
    expect((error as Error).message).toContain(`cannot create the folder ${deep}: `);
    expect((error as Error & { cause: Error }).cause.message).toBe('too many missing levels');
    expect(existsSync(join(dir, 'd0'))).toBe(false);
    await expect(ensureFolder(join(deep, '..'))).resolves.toBe(true); // control: 32 levels are created
  });
});

describe('readRegularFile', () => {
  const openTo = (path: string): string[] =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });

  it.runIf(process.platform === 'linux')('closes the file it read, and the one it refused', async () => {
    const path = join(dir, 'auth.json');
    writeFileSync(path, '{}');
    const held = await open(path, 'r');
    expect(openTo(path)).toHaveLength(1); // control: an open handle shows
    await held.close();
    expect((await readRegularFile(path))?.bytes.toString()).toBe('{}');
    truncateSync(path, 16 * 1024 * 1024 + 1);
    await expect(readRegularFile(path)).rejects.toBeInstanceOf(AuthFileAccessError);
    expect(openTo(path)).toEqual([]);
  });

  it('a file too large is refused with EFBIG, its cause saying so', async () => {
    const path = join(dir, 'auth.json');
    writeFileSync(path, '');
    truncateSync(path, 16 * 1024 * 1024 + 1);
    const error = await readRegularFile(path).catch((e: unknown) => e);
    expect(error).toMatchObject({ syscallCode: 'EFBIG' });
    expect((error as Error & { cause: Error }).cause.message).toBe('file too large');
  });

  it.runIf(process.platform === 'linux')('a read that fails after the open is an access error naming the read', async () => {
    // /proc/self/mem is a regular file that opens, but reading it from offset 0 fails with EIO.
    const error = await readRegularFile('/proc/self/mem').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileAccessError);
    expect(error).toMatchObject({ path: '/proc/self/mem', syscallCode: 'EIO' });
    expect((error as Error).message).toContain('cannot read /proc/self/mem: ');
  });
});
