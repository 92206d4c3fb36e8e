/**
 * The `ecr-auth-emulator` command line: flag parsing and the run loop.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_CREDENTIALS,
  DEFAULT_TOKEN_TTL_SECONDS,
  startEmulator,
  type Emulator,
  type EmulatorOptions,
} from './server.js';
import type { SigV4Credential } from './sigv4.js';
import { parseRoleArn } from './sts-operations.js';

/** The environment variable that can hold the fixed password (keeps it out of the process list). */
export const PASSWORD_ENV = 'ECR_AUTH_EMULATOR_PASSWORD';

/** A command line that cannot be run; the CLI prints the message and exits 2. */
export class CliUsageError extends Error {
  /** @param message - what is wrong, for the user */
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** What a command line asks for. */
export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'serve'; readonly options: EmulatorOptions; readonly verbose: boolean };

/** The `--help` text. */
export const HELP_TEXT = `Usage: ecr-auth-emulator [options]

A local AWS ECR and ECR Public GetAuthorizationToken endpoint (AWS JSON 1.1 over HTTP, SigV4 checked),
with STS AssumeRole and AssumeRoleWithWebIdentity (point AWS_ENDPOINT_URL_STS at the same URL).
Prints "listening on http://HOST:PORT" (https:// with --tls-cert) once ready; stops on SIGTERM or SIGINT.

Options:
  --host HOST                 address to listen on (default 127.0.0.1)
  --port PORT                 port, 0 = any free port (default 0)
  --credentials ID:SECRET[:SESSION_TOKEN]
                              credentials to accept; repeatable (default ${DEFAULT_CREDENTIALS.accessKeyId}:${DEFAULT_CREDENTIALS.secretAccessKey})
  --account-id ID             the caller's 12-digit account id (default ${DEFAULT_ACCOUNT_ID})
  --token-ttl SECONDS         token lifetime (default ${DEFAULT_TOKEN_TTL_SECONDS})
  --password PASSWORD         a fixed password for every token (default: a random one per token);
                              also read from $${PASSWORD_ENV}
  --proxy-endpoint URL        proxyEndpoint to return; {account} and {region} are replaced
                              (default https://<account>.dkr.ecr.<region>.<partition suffix>)
  --clock-offset SECONDS      emulator clock = real clock + SECONDS; for a negative value write
                              --clock-offset=-3600 (default 0)
  --tls-cert FILE             serve HTTPS with this PEM certificate (chain); needs --tls-key
  --tls-key FILE              the certificate's PEM private key
  --role ARN                  a role STS lets callers assume; repeatable (default: any role ARN)
  --web-identity-issuer URL   an https:// issuer (iss) whose web identity tokens STS accepts;
                              repeatable (default: any https:// issuer)
  --web-identity-audience AUD an audience (aud) STS accepts; repeatable (default sts.amazonaws.com)
  --verbose                   log one line per request to stderr (never a secret)
  -h, --help                  show this help
  -v, --version               show the version

Control endpoints: GET /__emulator/stats, POST|DELETE|GET /__emulator/faults, POST /__emulator/reset.
`;

function number(flag: string, value: string, check: (n: number) => boolean, what: string): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n) || !check(n)) throw new CliUsageError(`--${flag} must be ${what}, not '${value}'`);
  return n;
}

/** Parses `ID:SECRET[:SESSION_TOKEN]`. */
export function parseCredentialFlag(value: string): SigV4Credential {
  const first = value.indexOf(':');
  const second = first === -1 ? -1 : value.indexOf(':', first + 1);
  const accessKeyId = first === -1 ? '' : value.slice(0, first);
  const secretAccessKey = first === -1 ? '' : value.slice(first + 1, second === -1 ? undefined : second);
  const sessionToken = second === -1 ? undefined : value.slice(second + 1);
  if (accessKeyId === '' || secretAccessKey === '' || sessionToken === '') {
    throw new CliUsageError('--credentials must be ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]');
  }
  return sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken };
}

/**
 * Parses the command line (without `node` and the script).
 *
 * @param env - the environment, for {@link PASSWORD_ENV}
 * @throws {@link CliUsageError} for flags that are unknown, missing a value or not valid
 *
 * @example
 * ```ts
 * parseCliArgs(['--port', '4566', '--token-ttl', '60']);
 * // { kind: 'serve', options: { host: '127.0.0.1', port: 4566, tokenTtlSeconds: 60, ... }, verbose: false }
 * ```
 */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        credentials: { type: 'string', multiple: true },
        'account-id': { type: 'string' },
        'token-ttl': { type: 'string' },
        password: { type: 'string' },
        'proxy-endpoint': { type: 'string' },
        'clock-offset': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        role: { type: 'string', multiple: true },
        'web-identity-issuer': { type: 'string', multiple: true },
        'web-identity-audience': { type: 'string', multiple: true },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    }));
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };

  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw new CliUsageError('--host must not be empty');
  const options: {
    -readonly [K in keyof EmulatorOptions]: EmulatorOptions[K];
  } = { host };
  if (values.port !== undefined) {
    options.port = number('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer 0..65535');
  }
  if (values.credentials !== undefined) options.credentials = values.credentials.map(parseCredentialFlag);
  const accountId = values['account-id'];
  if (accountId !== undefined) {
    if (!/^[0-9]{12}$/.test(accountId)) throw new CliUsageError(`--account-id must be 12 digits, not '${accountId}'`);
    options.accountId = accountId;
  }
  const ttl = values['token-ttl'];
  if (ttl !== undefined) options.tokenTtlSeconds = number('token-ttl', ttl, (n) => n > 0, 'a positive number of seconds');
  const password = values.password ?? env[PASSWORD_ENV];
  if (password !== undefined) {
    if (password === '') throw new CliUsageError('--password must not be empty');
    options.password = password;
  }
  const proxyEndpoint = values['proxy-endpoint'];
  if (proxyEndpoint !== undefined) {
    if (!URL.canParse(proxyEndpoint.replaceAll('{account}', '0').replaceAll('{region}', 'r'))) {
      throw new CliUsageError(`--proxy-endpoint must be a URL, not '${proxyEndpoint}'`);
    }
    options.proxyEndpoint = proxyEndpoint;
  }
  const offset = values['clock-offset'];
  if (offset !== undefined) options.clockOffsetSeconds = number('clock-offset', offset, () => true, 'a number of seconds');
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if ((certFile === undefined) !== (keyFile === undefined)) throw new CliUsageError('--tls-cert and --tls-key go together');
  if (certFile !== undefined && keyFile !== undefined) options.tls = { cert: readPem('tls-cert', certFile), key: readPem('tls-key', keyFile) };
  for (const role of values.role ?? []) {
    try {
      parseRoleArn(role);
    } catch (error) {
      throw new CliUsageError(`--role ${(error as Error).message}`);
    }
  }
  if (values.role !== undefined) options.roles = values.role;
  const issuers = values['web-identity-issuer'];
  for (const issuer of issuers ?? []) {
    if (!issuer.startsWith('https://') || !URL.canParse(issuer)) throw new CliUsageError(`--web-identity-issuer must be an https:// URL, not '${issuer}'`);
  }
  const audiences = values['web-identity-audience'];
  if (issuers !== undefined || audiences !== undefined) options.webIdentity = { issuers, audiences };
  return { kind: 'serve', options, verbose: values.verbose === true };
}

/** The package version, read from its package.json. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/** Where {@link runCli} writes and which process it manages. */
export interface CliIo {
  /** Standard output (the listening line, help, version). */
  readonly stdout: NodeJS.WritableStream;
  /** Standard error (usage errors, `--verbose` request lines). */
  readonly stderr: NodeJS.WritableStream;
  /** The environment. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Runs the command line: prints help or version, or starts the emulator and prints
 * `listening on <url>`.
 *
 * @returns the exit code for help, version and errors (0, 0, 2 or 1), or the running emulator
 */
/** A PEM file named by a flag; a usage error naming the flag when it cannot be read. */
function readPem(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new CliUsageError(`--${flag} ${file} cannot be read (${typeof code === 'string' ? code : 'error'})`);
  }
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number | Emulator> {
  let command: CliCommand;
  try {
    command = parseCliArgs(argv, io.env);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.stderr.write(`ecr-auth-emulator: ${error.message}\nTry 'ecr-auth-emulator --help'.\n`);
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout.write(HELP_TEXT);
    return 0;
  }
  if (command.kind === 'version') {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const options: EmulatorOptions = command.verbose
    ? {
        ...command.options,
        onRequest: (e) => {
          const fields = [e.method, e.path, e.operation ?? '-', e.region ?? '-', String(e.status), e.errorType ?? '-'];
          if (e.fault !== undefined) fields.push(`fault=${e.fault}`);
          if (e.callerArn !== undefined) fields.push(`caller=${e.callerArn}`);
          if (e.roleArn !== undefined) fields.push(`role=${e.roleArn}`);
          fields.push(`requestId=${e.requestId}`);
          io.stderr.write(`${fields.join(' ')}\n`);
        },
      }
    : command.options;
  try {
    const emulator = await startEmulator(options);
    io.stdout.write(`listening on ${emulator.url}\n`);
    return emulator;
  } catch (error) {
    io.stderr.write(`ecr-auth-emulator: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/**
 * The `ecr-auth-emulator` executable: {@link runCli} on `process.argv`, then on SIGTERM or SIGINT a
 * clean stop and exit 0.
 */
export async function main(): Promise<void> {
  const result = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
  if (typeof result === 'number') {
    process.exitCode = result;
    return;
  }
  const emulator = result;
  const shutdown = (): void => {
    process.off('SIGTERM', shutdown);
    process.off('SIGINT', shutdown);
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
