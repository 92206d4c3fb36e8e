import { lstat, readlink } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { AuthFileAccessError, AuthFileNotRegularError, describePathKind, errnoCode, pathKind } from './errors.js';

const MAX_LINKS = 40;

/**
 * The file that a write to `path` must replace: `path` itself, or, when `path` is a symbolic link (a dotfile
 * manager's link), the file it points to, following chains. A dangling link gives its target, which the write
 * then creates; the link is kept either way. Anything but a regular file (or nothing) at the end of the chain is
 * refused before anything is read or created: a directory, a device such as `/dev/null`, a FIFO or a socket.
 * A path ending in `/` names a folder and is refused too.
 *
 * @example
 * ```ts
 * const target = await resolveWriteTarget('/home/ci/.docker/config.json');
 * // → '/home/ci/dotfiles/docker/config.json' when config.json is a link to it
 * await resolveWriteTarget('/home/ci/.docker/'); // throws AuthFileNotRegularError (a folder)
 * ```
 *
 * @param path - the auth file path.
 * @returns the absolute path of the real file to replace (it may not exist yet).
 * @throws AuthFileNotRegularError when the path is, or links to, something other than a regular file;
 *   AuthFileAccessError on a link loop, an unreadable link, or a parent that is not a folder.
 */
export async function resolveWriteTarget(path: string): Promise<string> {
  // Stryker disable next-line LogicalOperator: sep is '/' where the tests run; the second test is for Windows
  if (path.endsWith('/') || path.endsWith(sep)) {
    throw new AuthFileNotRegularError(path, 'directory', 'the path ends with "/", so it names a folder, not a file; give the path of the file inside it (e.g. config.json)');
  }
  let current = resolve(path);
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    let info;
    try {
      info = await lstat(current);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return current;
      throw new AuthFileAccessError(current, 'inspect', error);
    }
    if (info.isFile()) return current;
    if (!info.isSymbolicLink()) {
      const kind = pathKind(info);
      throw new AuthFileNotRegularError(current, kind, current === resolve(path) ? undefined : `${path} links to ${current}, which is ${describePathKind(kind)}, not a regular file`);
    }
    try {
      current = resolve(dirname(current), await readlink(current));
    } catch (error) {
      throw new AuthFileAccessError(current, 'read the link', error);
    }
  }
  throw new AuthFileAccessError(path, 'resolve the links of', Object.assign(new Error('too many symbolic links'), { code: 'ELOOP' }));
}
