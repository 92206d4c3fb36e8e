import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AuthFileAccessError, AuthFileNotRegularError, errnoCode, pathKind } from './errors.js';

// Deeper than any real home or runtime folder; a bound, so that no path can make this loop long.
const MAX_MISSING_LEVELS = 32;

/**
 * Creates `folder` and its missing parents one level at a time, each 0700. Node's `mkdir(..., { recursive: true })`
 * loops forever where a file system refuses a folder with ENOENT (under `/proc`); this stops at the first refusal.
 *
 * @param folder - an absolute folder path.
 * @returns whether anything was created.
 * @throws AuthFileAccessError naming the level that could not be created; AuthFileNotRegularError when a
 *   level exists but is not a folder.
 */
export async function ensureFolder(folder: string): Promise<boolean> {
  const missing: string[] = [];
  let current = folder;
  for (;;) {
    let info;
    try {
      info = await stat(current);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOTDIR') throw new AuthFileAccessError(current, 'create the folder', error);
      if (code !== 'ENOENT') throw new AuthFileAccessError(current, 'inspect the folder', error);
      const parent = dirname(current);
      // Also the end of a walk up to a missing root (dirname('/') is '/'), which stat never reports missing anyway.
      if (missing.length >= MAX_MISSING_LEVELS) {
        throw new AuthFileAccessError(folder, 'create the folder', Object.assign(new Error('too many missing levels'), { code: 'ENOENT' }));
      }
      missing.push(current);
      current = parent;
      continue;
    }
    if (!info.isDirectory()) {
      throw new AuthFileNotRegularError(current, pathKind(info), `${current} is in the way of the folder ${folder} (it is not a folder)`);
    }
    break;
  }
  for (const level of missing.reverse()) {
    try {
      await mkdir(level, { mode: 0o700 });
    } catch (error) {
      // Whatever mkdir said (EEXIST, or another error in a race), a folder there now was made by a concurrent writer.
      const isFolder = await stat(level).then(
        (s) => s.isDirectory(),
        // Stryker disable next-line ArrowFunction: undefined is as false here
        () => false,
      );
      if (isFolder) continue;
      const code = errnoCode(error);
      if (code === 'ENOENT') {
        // The parent exists (we just saw or made it), so the file system itself refuses (e.g. /proc).
        throw new AuthFileAccessError(level, 'create the folder', Object.assign(new Error('the file system does not allow creating a folder here'), { code: 'ENOTSUP' }));
      }
      throw new AuthFileAccessError(level, 'create the folder', error);
    }
  }
  return missing.length > 0;
}
