import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { runTool } from './run-tool.js';

/** A running registry (distribution 2.8) with one htpasswd user. */
export interface TestRegistry {
  /** `127.0.0.1:PORT`: the host key to write and to push to. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** The registry's folder (config, htpasswd, storage, log). */
  dir: string;
  /** Its output so far (for failure messages). */
  log(): string;
  /** Stops it (SIGTERM, then SIGKILL after 3 s). */
  stop(): Promise<void>;
}

/** Options of {@link startRegistry}. */
export interface RegistryOptions {
  /** The folder to keep its files in (a test's temporary folder). */
  dir: string;
  /** The one user's password. */
  password: string;
  /** The user. Default `AWS`. */
  username?: string;
  /** The registry binary. Default `/usr/bin/docker-registry`. */
  command?: string;
  /** How long to wait for it to answer. Default 15 000 ms. */
  startTimeoutMs?: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts a real registry (`docker-registry serve`) on 127.0.0.1 and a free port, plain HTTP, with htpasswd
 * auth for `AWS` and `password` (bcrypt, via `htpasswd -niB`: the password goes on stdin). Resolves once
 * `/v2/` answers 401. Stop it in `afterEach`/`afterAll`.
 *
 * @param options - see {@link RegistryOptions}.
 * @returns the running registry.
 */
export async function startRegistry(options: RegistryOptions): Promise<TestRegistry> {
  const username = options.username ?? 'AWS';
  await mkdir(join(options.dir, 'storage'), { recursive: true });
  const hash = await runTool('htpasswd', ['-niB', username], { env: process.env, stdin: options.password });
  if (hash.code !== 0) throw new Error(`htpasswd failed: ${hash.stderr}`);
  await writeFile(join(options.dir, 'htpasswd'), hash.stdout);
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const config = [
      'version: 0.1',
      'log: { level: warn, accesslog: { disabled: true } }',
      `storage: { filesystem: { rootdirectory: ${JSON.stringify(join(options.dir, 'storage'))} }, delete: { enabled: true } }`,
      `http: { addr: ${JSON.stringify(host)}, secret: test-secret }`,
      `auth: { htpasswd: { realm: test-registry, path: ${JSON.stringify(join(options.dir, 'htpasswd'))} } }`,
      '',
    ].join('\n');
    const configPath = join(options.dir, 'config.yml');
    await writeFile(configPath, config);
    const child = spawn(options.command ?? '/usr/bin/docker-registry', ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
    while (Date.now() < deadline && child.exitCode === null) {
      const status = await fetch(`http://${host}/v2/`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 401) {
        return { host, url: `http://${host}`, dir: options.dir, log: () => output, stop: () => stopProcess(child) };
      }
      const failed = await Promise.race([spawnError, sleep(50).then(() => undefined)]);
      if (failed) throw failed;
    }
    await stopProcess(child);
    lastError = output;
  }
  throw new Error(`the registry did not start: ${lastError}`);
}
