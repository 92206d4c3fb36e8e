import { lstat, readlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AuthFileAccessError, errnoCode } from './errors.js';

const MAX_LINKS = 40;

/**
 * The file that a write to `path` must replace: `path` itself, or, when `path` is a symbolic link (a dotfile
 * manager's link), the file it points to, following chains. A dangling link gives its target, which the write
 * then creates; the link is kept either way.
 *
 * @example
 * ```ts
 * const target = await resolveWriteTarget('/home/ci/.docker/config.json');
 * // → '/home/ci/dotfiles/docker/config.json' when config.json is a link to it
 * ```
 *
 * @param path - the auth file path.
 * @returns the absolute path of the real file to replace.
 * @throws AuthFileAccessError on a link loop or an unreadable link.
 */
export async function resolveWriteTarget(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    let isLink: boolean;
    try {
      isLink = (await lstat(current)).isSymbolicLink();
    } catch (error) {
      if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return current;
      throw new AuthFileAccessError(current, 'inspect', error);
    }
    if (!isLink) return current;
    try {
      current = resolve(dirname(current), await readlink(current));
    } catch (error) {
      throw new AuthFileAccessError(current, 'read the link', error);
    }
  }
  throw new AuthFileAccessError(path, 'resolve the links of', Object.assign(new Error('too many symbolic links'), { code: 'ELOOP' }));
}
