// The bounds on what a path can make us do: how many links we follow, how many missing folders we create, how
// large a file we read. Each at its limit and one past it.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthFileAccessError, AuthFileInvalidError, readAuthFile, resolveWriteTarget, updateAuthFile } from '@ecr-auth/auth-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecr-auth-path-limits-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `count` links in a row, link-0 → link-1 → … → `last`; returns the first. */
function chain(count: number, last: string): string {
  for (let i = count - 1; i >= 0; i--) symlinkSync(i === count - 1 ? last : `link-${i + 1}`, join(dir, `link-${i}`));
  return join(dir, 'link-0');
}

describe('links', () => {
  it('follows 40 links (relative to each link’s folder) to the file; 41 are refused with ELOOP', async () => {
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'config.json'), '{}');
    expect(await resolveWriteTarget(chain(40, 'real/config.json'))).toBe(join(dir, 'real', 'config.json'));
    rmSync(join(dir, 'link-0'));
    for (let i = 1; i < 40; i++) rmSync(join(dir, `link-${i}`));
    const error = await resolveWriteTarget(chain(41, 'real/config.json')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileAccessError);
    expect(error).toMatchObject({ syscallCode: 'ELOOP' });
    expect((error as Error).message).toContain(`cannot resolve the links of ${join(dir, 'link-0')}: too many symbolic links`);
  });

  it('a link to a missing file names the file to create', async () => {
    symlinkSync('missing/config.json', join(dir, 'config.json'));
    expect(await resolveWriteTarget(join(dir, 'config.json'))).toBe(join(dir, 'missing', 'config.json'));
  });
});

describe('missing folders', () => {
  const deep = (levels: number): string => join(dir, ...Array.from({ length: levels }, (_, i) => `d${i}`), 'auth.json');

  it('creates up to 32 missing levels; 33 are refused and nothing is created', async () => {
    const ok = await updateAuthFile(deep(32), () => ({ document: { auths: {} }, result: 'done' }));
    expect(ok).toMatchObject({ created: true, result: 'done' });
    rmSync(join(dir, 'd0'), { recursive: true });
    const error = await updateAuthFile(deep(33), () => ({ document: { auths: {} }, result: 'done' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileAccessError);
    expect((error as Error).message).toContain(`cannot create the folder ${join(deep(33), '..')}`);
    expect(existsSync(join(dir, 'd0'))).toBe(false); // nothing was created
  });
});

describe('file size', () => {
  it('reads a file of exactly 16 MiB; one byte more is refused unread (EFBIG)', async () => {
    const path = join(dir, 'auth.json');
    writeFileSync(path, '');
    truncateSync(path, 16 * 1024 * 1024); // sparse: 16 MiB of NUL, which is not JSON
    await expect(readAuthFile(path)).rejects.toBeInstanceOf(AuthFileInvalidError);
    truncateSync(path, 16 * 1024 * 1024 + 1);
    const error = await readAuthFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileAccessError);
    expect(error).toMatchObject({ syscallCode: 'EFBIG' });
    expect((error as Error).message).toContain(`cannot read ${path}: EFBIG`);
  });
});
