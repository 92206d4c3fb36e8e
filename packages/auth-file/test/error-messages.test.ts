// What each error says: the messages are the advice a user acts on, so they are pinned word for word, with the
// fields a program reads (code, kind, syscallCode, exit code). Every message starts with "ecr-auth: ".
import { describe, expect, it } from 'vitest';
import {
  AuthFileAccessError,
  AuthFileInvalidError,
  AuthFileLockTimeoutError,
  AuthFileNotRegularError,
  CredentialHelperError,
  EntryShadowedError,
  ToolLoginError,
  errnoCode,
  pathKind,
} from '@ecr-auth/auth-file';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: simulated`), { code });
const OTHER_PATH = 'Choose another path (--authfile, DOCKER_CONFIG, REGISTRY_AUTH_FILE).';

describe('AuthFileAccessError', () => {
  it.each([
    ['EACCES', 'permission denied', 'Check the permissions of the file and its folder, or choose another path (--authfile, DOCKER_CONFIG, REGISTRY_AUTH_FILE).'],
    ['EPERM', 'operation not permitted', 'Check the permissions and attributes of the file and its folder.'],
    ['EROFS', 'read-only file system', OTHER_PATH],
    ['ENOSPC', 'no space left on device', 'Free some space, then retry.'],
    ['EDQUOT', 'disk quota exceeded', 'Free some space, then retry.'],
    ['ENOTDIR', 'a part of the path is not a folder', OTHER_PATH],
    ['ENOTSUP', 'the file system does not allow it', OTHER_PATH],
    ['ELOOP', 'too many symbolic links', 'Fix the link chain.'],
  ])('%s: says why and what to do', (code, why, hint) => {
    const error = new AuthFileAccessError('/home/me/.docker/config.json', 'write', errno(code));
    expect(error.message).toBe(`ecr-auth: cannot write /home/me/.docker/config.json: ${why}. Nothing was changed. ${hint}`);
    expect(error).toMatchObject({ code: 'ECR_AUTH_FILE_ACCESS', path: '/home/me/.docker/config.json', syscallCode: code });
  });

  it.each([
    ['ENOENT', 'no such file or directory'],
    ['EIO', 'input/output error'],
    ['EBUSY', 'EBUSY'], // unknown to the table: the code itself
  ])('%s: says why, with no hint to give', (code, why) => {
    expect(new AuthFileAccessError('/p', 'read', errno(code)).message).toBe(`ecr-auth: cannot read /p: ${why}. Nothing was changed.`);
  });

  it('keeps the system error as its cause', () => {
    const cause = errno('EACCES');
    expect(new AuthFileAccessError('/p', 'read', cause).cause).toBe(cause);
  });

  it('an error without a code is an unknown error', () => {
    const error = new AuthFileAccessError('/p', 'read', new Error('odd'));
    expect(error.message).toBe('ecr-auth: cannot read /p: unknown error. Nothing was changed.');
    expect(error.syscallCode).toBeUndefined();
  });
});

describe('the other errors', () => {
  it('AuthFileInvalidError and AuthFileNotRegularError name the path, the problem and the kind', () => {
    expect(new AuthFileInvalidError('/p', 'not-json', 'it is not JSON').message).toBe('ecr-auth: /p: it is not JSON; the file was left unchanged. Fix or move it, then retry.');
    const fifo = new AuthFileNotRegularError('/p', 'fifo');
    expect(fifo.message).toBe('ecr-auth: /p: it is a FIFO (named pipe), where a regular auth file belongs; nothing was read from it, created or replaced; the file was left unchanged. Fix or move it, then retry.');
    expect(fifo).toMatchObject({ code: 'ECR_AUTH_FILE_INVALID', problem: 'not-a-regular-file', kind: 'fifo', path: '/p' });
  });

  it.each([
    ['directory', 'a directory'],
    ['character-device', 'a character device'],
    ['block-device', 'a block device'],
    ['fifo', 'a FIFO (named pipe)'],
    ['socket', 'a socket'],
    ['symbolic-link', 'a symbolic link'],
    ['regular-file', 'a regular file'],
    ['unknown', 'not a regular file'],
  ] as const)('AuthFileNotRegularError names a %s as %s', (kind, words) => {
    expect(new AuthFileNotRegularError('/p', kind).message).toContain(`/p: it is ${words}, where a regular auth file belongs`);
  });

  it('AuthFileLockTimeoutError says how long and which lock', () => {
    const error = new AuthFileLockTimeoutError('/p', '/p.lock', 250);
    expect(error.message).toBe('ecr-auth: /p is locked by another writer (/p.lock) and stayed locked for 250 ms. Retry; if no other writer runs, delete the lock file.');
    expect(error).toMatchObject({ code: 'ECR_AUTH_FILE_LOCK_TIMEOUT', path: '/p', lockPath: '/p.lock', waitedMs: 250 });
  });

  it('EntryShadowedError names the setting that wins, for credsStore and for credHelpers (by host)', () => {
    expect(new EntryShadowedError('/p', 'h.example', 'credsStore', 'desktop').message).toBe(
      'ecr-auth: /p: auths["h.example"] would never be read because "credsStore": "desktop" sends the tool to docker-credential-desktop. ' +
        `Store through the helper (option shadowed: 'store-in-helper'), point credHelpers["h.example"] at "ecr-auth", or remove that setting.`,
    );
    const helpers = new EntryShadowedError('/p', 'https://h.example/v1/', 'credHelpers', 'pass');
    expect(helpers.message).toContain('because "credHelpers": {"h.example": "pass"} sends the tool to docker-credential-pass.');
    // The host of the key: a scheme only at its start, http or https.
    expect(new EntryShadowedError('/p', 'http://h.example/v1/', 'credHelpers', 'pass').message).toContain('{"h.example": "pass"}');
    expect(new EntryShadowedError('/p', 'myhttps://x', 'credHelpers', 'pass').message).toContain('{"myhttps:": "pass"}');
    expect(helpers).toMatchObject({ code: 'ECR_AUTH_ENTRY_SHADOWED', path: '/p', key: 'https://h.example/v1/', source: 'credHelpers', helper: 'pass' });
  });

  it('CredentialHelperError and ToolLoginError: exited or could not run, with the output when there is some', () => {
    const cause = new Error('spawn ENOENT');
    const failed = new CredentialHelperError('pass', 'store', 1, 'no key');
    expect(failed.message).toBe('ecr-auth: docker-credential-pass store exited with 1: no key');
    expect(failed).toMatchObject({ exitCode: 1, output: 'no key', helper: 'pass', code: 'ECR_AUTH_CREDENTIAL_HELPER_FAILED' });
    expect(new CredentialHelperError('pass', 'store', 1, '').message).toBe('ecr-auth: docker-credential-pass store exited with 1');
    const unrun = new CredentialHelperError('pass', 'erase', undefined, '', cause);
    expect(unrun.message).toBe('ecr-auth: docker-credential-pass erase could not run');
    expect(unrun.cause).toBe(cause);
    // No cause: none at all, not a cause property holding undefined (which inspect() prints as "[cause]: undefined").
    expect(Object.hasOwn(new CredentialHelperError('pass', 'store', 2, ''), 'cause')).toBe(false);
    expect(Object.hasOwn(unrun, 'cause')).toBe(true); // control
    const denied = new ToolLoginError('podman', 'h.example', 125, 'denied');
    expect(denied.message).toBe('ecr-auth: podman login h.example exited with 125: denied');
    expect(denied).toMatchObject({ tool: 'podman', exitCode: 125, stderr: 'denied', code: 'ECR_AUTH_TOOL_LOGIN_FAILED' });
    expect(new ToolLoginError('podman', 'h.example', 125, '').message).toBe('ecr-auth: podman login h.example exited with 125');
    const toolUnrun = new ToolLoginError('skopeo', 'h.example', undefined, '', cause);
    expect(toolUnrun.message).toBe('ecr-auth: skopeo login h.example could not run');
    expect(toolUnrun.cause).toBe(cause);
    expect(Object.hasOwn(new ToolLoginError('skopeo', 'h.example', 1, ''), 'cause')).toBe(false);
    expect(Object.hasOwn(toolUnrun, 'cause')).toBe(true); // control
  });
});

describe('pathKind and errnoCode', () => {
  const stats = (kind: string) => ({
    isFile: () => kind === 'file',
    isDirectory: () => kind === 'dir',
    isCharacterDevice: () => kind === 'chr',
    isBlockDevice: () => kind === 'blk',
    isFIFO: () => kind === 'fifo',
    isSocket: () => kind === 'sock',
    isSymbolicLink: () => kind === 'link',
  });

  it.each([
    ['file', 'regular-file'],
    ['dir', 'directory'],
    ['chr', 'character-device'],
    ['blk', 'block-device'],
    ['fifo', 'fifo'],
    ['sock', 'socket'],
    ['link', 'symbolic-link'],
    ['door', 'unknown'],
  ])('%s is %s', (kind, expected) => {
    expect(pathKind(stats(kind))).toBe(expected);
  });

  it('errnoCode reads a string code only', () => {
    expect(errnoCode(errno('EACCES'))).toBe('EACCES');
    expect(errnoCode({ code: 13 })).toBeUndefined();
    expect(errnoCode(null)).toBeUndefined();
    expect(errnoCode('EACCES')).toBeUndefined();
    expect(errnoCode({})).toBeUndefined();
  });
});
