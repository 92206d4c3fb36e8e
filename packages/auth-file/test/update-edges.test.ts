// updateAuthFile's and ensureFolder's decisions that mutation testing showed unobserved: a logout never creates a
// file, what the result reports, the indentation of a new file, the signal given with the lock options, a write
// error surfacing, the path checked again just before the rename; which folders get created.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthFileAccessError, AuthFileNotRegularError, updateAuthFile } from '@ecr-auth/auth-file';
import { atomicSeams } from '../src/atomic-write.js';
import { ensureFolder } from '../src/ensure-folder.js';

const originalOpenFolder = atomicSeams.openFolder;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecr-auth-update-edges-'));
});
afterEach(() => {
  atomicSeams.openFolder = originalOpenFolder;
  rmSync(dir, { recursive: true, force: true });
});

const writeA = () => ({ document: { auths: { a: { auth: 'eDp5' } } }, result: 'r' });

describe('updateAuthFile', () => {
  it('with create: false, a missing file stays missing, in a missing folder or an existing one; the callback sees it missing', async () => {
    const seen: unknown[] = [];
    const update = (snapshot: { exists: boolean; document: object }) => {
      seen.push({ exists: snapshot.exists, document: snapshot.document });
      return writeA();
    };
    const inMissing = join(dir, 'missing', 'auth.json');
    expect(await updateAuthFile(inMissing, update, { create: false })).toEqual({ path: inMissing, target: inMissing, created: false, changed: false, result: 'r' });
    const inExisting = join(dir, 'auth.json');
    expect(await updateAuthFile(inExisting, update, { create: false })).toEqual({ path: inExisting, target: inExisting, created: false, changed: false, result: 'r' });
    expect(seen).toEqual([{ exists: false, document: {} }, { exists: false, document: {} }]);
    expect(existsSync(inMissing) || existsSync(inExisting)).toBe(false);
    // Control: by default it is created.
    expect(await updateAuthFile(inExisting, update)).toMatchObject({ created: true, changed: true });
  });

  it('reports an identical document as unchanged, and a callback that returns none as unchanged', async () => {
    const path = join(dir, 'auth.json');
    await updateAuthFile(path, writeA);
    expect(await updateAuthFile(path, writeA)).toMatchObject({ created: false, changed: false });
    expect(await updateAuthFile(path, () => ({ document: undefined, result: 'r' }))).toMatchObject({ created: false, changed: false });
  });

  it('indents a new file as asked', async () => {
    const path = join(dir, 'auth.json');
    await updateAuthFile(path, writeA, { newFileIndent: 2 });
    expect(readFileSync(path, 'utf8')).toBe('{\n  "auths": {\n    "a": {\n      "auth": "eDp5"\n    }\n  }\n}\n');
  });

  it('an abort through the lock options stops it too, before anything is written', async () => {
    const reason = new Error('stop');
    const path = join(dir, 'auth.json');
    await expect(updateAuthFile(path, writeA, { lock: { signal: AbortSignal.abort(reason) } })).rejects.toBe(reason);
    expect(existsSync(path)).toBe(false);
  });

  it('a failing write is an access error naming the file', async () => {
    atomicSeams.openFolder = () => Promise.reject(Object.assign(new Error('EIO: simulated'), { code: 'EIO' }));
    const path = join(dir, 'auth.json');
    const error = await updateAuthFile(path, writeA).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileAccessError);
    expect((error as Error).message).toContain(`cannot write ${path}: input/output error`);
  });

  it('checks the path again just before replacing it: a folder that appeared meanwhile is refused and kept', async () => {
    const path = join(dir, 'auth.json');
    const error = await updateAuthFile(path, () => {
      mkdirSync(path); // another program, while we computed the new content
      return writeA();
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileNotRegularError);
    expect(error).toMatchObject({ kind: 'directory' });
    expect(readdirSync(dir)).toEqual(['auth.json']);
  });
});

describe('ensureFolder', () => {
  it('says whether it created anything', async () => {
    expect(await ensureFolder(dir)).toBe(false);
    expect(await ensureFolder(join(dir, 'a', 'b'))).toBe(true);
    expect(existsSync(join(dir, 'a', 'b'))).toBe(true);
  });

  it('writers creating the same folders at once all succeed (the loser of each mkdir sees EEXIST)', async () => {
    for (let i = 0; i < 10; i++) {
      const folder = join(dir, `race-${i}`, 'a', 'b');
      const created = await Promise.all(Array.from({ length: 4 }, () => ensureFolder(folder)));
      expect(created).toContain(true); // a writer that looked after the others were done created nothing
      expect(existsSync(folder)).toBe(true);
    }
  });

  it('a file where a folder belongs is refused, naming both; a file above it is an access error', async () => {
    writeFileSync(join(dir, 'file'), '');
    const inTheWay = await ensureFolder(join(dir, 'file')).catch((e: unknown) => e);
    expect(inTheWay).toBeInstanceOf(AuthFileNotRegularError);
    expect((inTheWay as Error).message).toContain(`${join(dir, 'file')} is in the way of the folder ${join(dir, 'file')} (it is not a folder)`);
    const below = await ensureFolder(join(dir, 'file', 'sub')).catch((e: unknown) => e);
    expect(below).toBeInstanceOf(AuthFileAccessError);
    expect((below as Error).message).toContain(`cannot create the folder ${join(dir, 'file', 'sub')}: a part of the path is not a folder`);
  });

  it('a folder that cannot even be inspected (a name too long) is an access error', async () => {
    const error = await ensureFolder(join(dir, 'x'.repeat(300))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileAccessError);
    expect((error as Error).message).toContain(`cannot inspect the folder ${join(dir, 'x'.repeat(300))}: ENAMETOOLONG`);
  });
});
