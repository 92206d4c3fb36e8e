// The `ecr-auth-emulator` executable, run from its build (Node 20 cannot run the TypeScript source).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { request } from 'node:https';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCertificates } from '../../../test-support/tls-certs.ts';
import { needTools } from '../../../test-support/tools.ts';
import { DEFAULT_CREDENTIALS } from './index.ts';
import { passwordOf } from '../test/helpers.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const children: ChildProcess[] = [];

beforeAll(async () => {
  // Bring dist/ up to date (tsc -b does nothing when it already is).
  const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, [tsc, '-b', 'tsconfig.json'], { cwd: packageDir }, (error, stdout, stderr) =>
      error === null ? resolve() : reject(new Error(`build failed: ${stdout}${stderr}`)),
    );
  });
}, 120_000);

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env['PATH'], ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits for the listening line (fails if the process exits first). */
function listening(r: Run): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const m = /^listening on (https?:\/\/127\.0\.0\.1:\d+)\n/.exec(r.stdout());
      if (m?.[1] !== undefined) {
        r.child.stdout?.off('data', check);
        resolve(m[1]);
      }
    };
    r.child.stdout?.on('data', check);
    void r.exited.then(({ code }) => reject(new Error(`exited with ${code}: ${r.stderr()}`)));
    check();
  });
}

describe('ecr-auth-emulator executable', () => {
  it('prints exactly the listening line, serves the SDK, logs no secret and exits 0 on SIGTERM', async () => {
    const password = 'bin-secret-password-42';
    const r = run(['--port', '0', '--verbose', '--token-ttl', '120'], { ECR_AUTH_EMULATOR_PASSWORD: password });
    const url = await listening(r);
    expect(r.stdout()).toBe(`listening on ${url}\n`);

    const client = new ECRClient({ endpoint: url, region: 'eu-west-1', credentials: { ...DEFAULT_CREDENTIALS } });
    try {
      const out = await client.send(new GetAuthorizationTokenCommand({}));
      expect(passwordOf(out.authorizationData?.[0]?.authorizationToken)).toBe(password);
    } finally {
      client.destroy();
    }
    const stats = (await (await fetch(`${url}/__emulator/stats`)).json()) as { requests: Record<string, number> };
    expect(stats.requests['ecr:GetAuthorizationToken']).toBe(1);

    r.child.kill('SIGTERM');
    expect(await r.exited).toEqual({ code: 0, signal: null });
    expect(r.stderr()).toMatch(/POST \/ ecr:GetAuthorizationToken eu-west-1 200/);
    for (const secret of [password, DEFAULT_CREDENTIALS.secretAccessKey]) {
      expect(r.stdout()).not.toContain(secret);
      expect(r.stderr()).not.toContain(secret);
    }
  });

  it('exits 0 on SIGINT too, and accepts the other flags', async () => {
    const r = run([
      '--host=127.0.0.1',
      '--credentials',
      'AKIDONE:secret-one',
      '--credentials',
      'ASIATWO:secret-two:token-two',
      '--account-id',
      '111122223333',
      '--password',
      'pw',
      '--proxy-endpoint',
      'http://127.0.0.1:5000',
      '--clock-offset=-30',
    ]);
    const url = await listening(r);
    const client = new ECRClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'ASIATWO', secretAccessKey: 'secret-two', sessionToken: 'token-two' },
    });
    try {
      const out = await client.send(new GetAuthorizationTokenCommand({}));
      expect(out.authorizationData?.[0]?.proxyEndpoint).toBe('http://127.0.0.1:5000');
    } finally {
      client.destroy();
    }
    r.child.kill('SIGINT');
    expect(await r.exited).toEqual({ code: 0, signal: null });
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port', 'eighty'], /--port must be an integer/],
    [['--port'], /argument missing/],
    [['--credentials', 'no-secret'], /--credentials must be/],
    [['--account-id', '42'], /--account-id must be 12 digits/],
    [['--token-ttl', '0'], /--token-ttl must be a positive number/],
    [['--clock-offset', 'soon'], /--clock-offset must be a number/],
    [['extra'], /positional/i],
  ])('exits 2 with a message on %j', async (args, message) => {
    const r = run(args);
    expect(await r.exited).toEqual({ code: 2, signal: null });
    expect(r.stderr()).toMatch(message);
    expect(r.stderr()).toMatch(/--help/);
    expect(r.stdout()).toBe('');
  });

  it('prints help and version, exit 0', async () => {
    const help = run(['--help']);
    expect(await help.exited).toEqual({ code: 0, signal: null });
    expect(help.stdout()).toMatch(/^Usage: ecr-auth-emulator/);
    const version = run(['--version']);
    expect(await version.exited).toEqual({ code: 0, signal: null });
    expect(version.stdout()).toMatch(/^\d+\.\d+\.\d+/);
  });

  const tls = needTools('openssl');
  it.skipIf(tls.skip)(tls.title('serves HTTPS with --tls-cert and --tls-key; refuses one without the other or an unreadable file (exit 2)'), async () => {
    const certs = await makeTestCertificates();
    try {
      const { writeFile } = await import('node:fs/promises');
      const { join } = await import('node:path');
      await writeFile(join(certs.dir, 'server.crt'), certs.cert);
      await writeFile(join(certs.dir, 'server.key.pem'), certs.key);
      const served = run(['--tls-cert', join(certs.dir, 'server.crt'), '--tls-key', join(certs.dir, 'server.key.pem')]);
      const url = await listening(served);
      expect(url).toMatch(/^https:\/\//);
      const status = await new Promise<number>((resolve, reject) => {
        request(`${url}/__emulator/stats`, { ca: certs.caPem, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(200);
      served.child.kill('SIGTERM');
      expect(await served.exited).toEqual({ code: 0, signal: null });

      const alone = run(['--tls-cert', join(certs.dir, 'server.crt')]);
      expect((await alone.exited).code).toBe(2);
      expect(alone.stderr()).toContain('--tls-cert and --tls-key go together');
      const missing = run(['--tls-cert', join(certs.dir, 'none.pem'), '--tls-key', join(certs.dir, 'server.key.pem')]);
      expect((await missing.exited).code).toBe(2);
      expect(missing.stderr()).toMatch(/--tls-cert .*none\.pem cannot be read \(ENOENT\)/);
    } finally {
      await certs.remove();
    }
  });
});
