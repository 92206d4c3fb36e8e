import { chmod, chown, lstat, mkdir, readFile, readdir, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type AuthDocument, AuthFileInvalidError, setAuthEntries, updateAuthFile, writeContainersAuth, writeFileAtomic } from '@ecr-auth/auth-file';
import { spawn } from 'node:child_process';
import { TS_CACHE_DIR, TS_NODE_ARGS, runNodeScript } from '../../../test-support/real-tools/node-child.js';
import { tempDirs, testToken } from '../../../test-support/real-tools/fixtures.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const PASSWORD = 'update-test-password-XYZ';
const token = testToken(PASSWORD, '127.0.0.1:5000');
const addEntry = ({ document }: { document: AuthDocument }) => ({ document: setAuthEntries(document, [{ key: 'h', auth: 'YQ==' }]).document, result: 'ok' });

describe('updateAuthFile', () => {
  it('creates a new file 0600 in a new 0700 folder, tab-indented with a trailing newline', async () => {
    const root = await dirs.make();
    const path = join(root, 'a', 'b', 'auth.json');
    const result = await updateAuthFile(path, addEntry);
    expect(result).toMatchObject({ path, target: path, created: true, changed: true, result: 'ok' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(root, 'a', 'b'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(root, 'a'))).mode & 0o777).toBe(0o700);
    expect(await readFile(path, 'utf8')).toBe('{\n\t"auths": {\n\t\t"h": {\n\t\t\t"auth": "YQ=="\n\t\t}\n\t}\n}\n');
    expect(await readdir(join(root, 'a', 'b'))).toEqual(['auth.json']); // no lock or temp file left
  });

  it('keeps the mode, owner and 2-space indentation of an existing file', async () => {
    const root = await dirs.make();
    const path = join(root, 'config.json');
    await writeFile(path, '{\n  "proxies": {}\n}\n', { mode: 0o640 });
    await chmod(path, 0o640);
    if (process.getuid?.() === 0) await chown(path, 1234, 5678);
    await updateAuthFile(path, addEntry);
    const info = await stat(path);
    expect(info.mode & 0o777).toBe(0o640);
    if (process.getuid?.() === 0) expect([info.uid, info.gid]).toEqual([1234, 5678]);
    expect(await readFile(path, 'utf8')).toBe('{\n  "proxies": {},\n  "auths": {\n    "h": {\n      "auth": "YQ=="\n    }\n  }\n}\n');
  });

  it('does not rewrite a file whose content would not change', async () => {
    const root = await dirs.make();
    const path = join(root, 'config.json');
    await updateAuthFile(path, addEntry);
    const before = await stat(path);
    const again = await updateAuthFile(path, addEntry);
    expect(again.changed).toBe(false);
    expect((await stat(path)).ino).toBe(before.ino);
  });

  it.each([
    ['not JSON', '{"auths": {"h": {"auth": "c2VjcmV0"}}'],
    ['a top-level array', '[]\n'],
    ['auths not an object', '{"auths": ["x"]}'],
  ])('refuses a file that is %s and leaves it byte-for-byte untouched', async (_label, text) => {
    const root = await dirs.make();
    const path = join(root, 'auth.json');
    await writeFile(path, text, { mode: 0o644 });
    const before = await stat(path);
    const error = await updateAuthFile(path, addEntry).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileInvalidError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).not.toContain('c2VjcmV0');
    expect(await readFile(path, 'utf8')).toBe(text);
    const after = await stat(path);
    expect([after.ino, after.mtimeMs, after.mode]).toEqual([before.ino, before.mtimeMs, before.mode]);
    expect(await readdir(root)).toEqual(['auth.json']);
  });

  it('writes through a symbolic link and keeps the link', async () => {
    const root = await dirs.make();
    await mkdir(join(root, 'dotfiles'));
    const real = join(root, 'dotfiles', 'config.json');
    await writeFile(real, '{"keep": 1}', { mode: 0o600 });
    await mkdir(join(root, '.docker'));
    const link = join(root, '.docker', 'config.json');
    await symlink('../dotfiles/config.json', link);
    const result = await updateAuthFile(link, addEntry);
    expect(result.target).toBe(real);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('../dotfiles/config.json');
    expect(JSON.parse(await readFile(real, 'utf8'))).toEqual({ keep: 1, auths: { h: { auth: 'YQ==' } } });
    expect(await readdir(join(root, '.docker'))).toEqual(['config.json']);
    expect(await readdir(join(root, 'dotfiles'))).toEqual(['config.json']);
  });

  it('creates the target of a dangling link', async () => {
    const root = await dirs.make();
    const link = join(root, 'auth.json');
    await symlink('real.json', link);
    await updateAuthFile(link, addEntry);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(join(root, 'real.json'), 'utf8'))).toEqual({ auths: { h: { auth: 'YQ==' } } });
  });

  it('leaves a missing file missing when create is false', async () => {
    const root = await dirs.make();
    const result = await updateAuthFile(join(root, 'x', 'auth.json'), addEntry, { create: false });
    expect(result.changed).toBe(false);
    expect(await readdir(root)).toEqual([]);
  });
});

describe('writeFileAtomic', () => {
  it('removes its temporary file when the rename fails and leaves the target as it was', async () => {
    const root = await dirs.make();
    const target = join(root, 'occupied');
    await mkdir(target);
    await writeFile(join(target, 'inside'), 'x');
    await expect(writeFileAtomic(target, 'data', { mode: 0o600 })).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/) });
    expect(await readdir(root)).toEqual(['occupied']);
    expect(await readdir(target)).toEqual(['inside']);
  });

  it('never leaves a truncated file when the writer is killed mid-write', async () => {
    const root = await dirs.make();
    const path = join(root, 'auth.json');
    await writeFile(path, JSON.stringify({ n: -1 }));
    const script = fileURLToPath(new URL('./fixtures/rewrite-forever.ts', import.meta.url));
    // The child rewrites a ~1 MB document in a loop; once it has replaced the file, kill it at a random moment.
    const child = spawn(process.execPath, [...TS_NODE_ARGS, script, path], { env: { ...process.env, ECR_AUTH_TS_CACHE: TS_CACHE_DIR }, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', () => reject(new Error('the writer exited before writing')));
    });
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 250));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { n: number; pad?: string };
    expect(parsed.n).toBeGreaterThan(0); // the child did replace the file
    expect(parsed.pad).toHaveLength(1024 * 1024);
  });
});

describe('permissions (run as an unprivileged user when the tests run as root)', () => {
  const script = fileURLToPath(new URL('./fixtures/add-registry.ts', import.meta.url));
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

  it('gives a clear error for a read-only file and leaves no partial state', async () => {
    const root = await dirs.make();
    await chmod(root, 0o777);
    const path = join(root, 'auth.json');
    await writeFile(path, '{"auths": {}}\n');
    await chmod(path, 0o444);
    if (process.getuid?.() === 0) await chown(path, 65534, 65534);
    const outcome = await runNodeScript(script, [path, '127.0.0.1:5000', PASSWORD], asUser);
    expect(outcome.code).toBe(1);
    const reply = JSON.parse(outcome.stdout) as { name: string; code: string; message: string };
    expect(reply).toMatchObject({ name: 'AuthFileAccessError', code: 'ECR_AUTH_FILE_ACCESS' });
    expect(reply.message).toContain(path);
    expect(reply.message).toContain('permission denied');
    expect(reply.message).not.toContain(PASSWORD);
    expect(await readFile(path, 'utf8')).toBe('{"auths": {}}\n');
    expect(await readdir(root)).toEqual(['auth.json']);
  });

  it('gives a clear error for a read-only folder and leaves no partial state', async () => {
    const root = await dirs.make();
    const folder = join(root, 'ro');
    await mkdir(folder);
    const path = join(folder, 'auth.json');
    await writeFile(path, '{"auths": {}}\n', { mode: 0o666 });
    await chmod(path, 0o666);
    await chmod(folder, 0o555);
    await chmod(root, 0o755);
    // Restore the folder's mode before the assertions, so that cleanup works for a non-root user too.
    const outcome = await runNodeScript(script, [path, '127.0.0.1:5000', PASSWORD], asUser).finally(() => chmod(folder, 0o755));
    expect(outcome.code).toBe(1);
    const reply = JSON.parse(outcome.stdout) as { code: string; message: string };
    expect(reply.code).toBe('ECR_AUTH_FILE_ACCESS');
    expect(reply.message).toContain('permission denied');
    expect(reply.message).toContain(folder);
    expect(await readFile(path, 'utf8')).toBe('{"auths": {}}\n');
    expect(await readdir(folder)).toEqual(['auth.json']);
  });

  it('positive control: the same child writes when it may', async () => {
    const root = await dirs.make();
    await chmod(root, 0o777);
    const path = join(root, 'auth.json');
    const outcome = await runNodeScript(script, [path, '127.0.0.1:5000', PASSWORD], asUser);
    expect(outcome.stdout).toContain('"ok":true');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ auths: { '127.0.0.1:5000': { auth: token.revealBasicAuth() } } });
  });
});

describe('writeContainersAuth end to end on a file', () => {
  it('reports the path, registries and expiry and never the password', async () => {
    const root = await dirs.make();
    const result = await writeContainersAuth(token, { authFile: join(root, 'auth.json') });
    expect(result).toMatchObject({ path: join(root, 'auth.json'), source: 'option', registries: ['127.0.0.1:5000'], created: true });
    expect(result.expiresAt.getTime()).toBe(token.expiresAt.getTime());
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
    expect(JSON.stringify(result)).not.toContain(token.revealBasicAuth());
  });
});
