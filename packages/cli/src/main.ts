/**
 * The `ecr-auth` command: `get-login-password`, `login` (with `--watch`) and `logout`.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import type { AuthorizationToken } from 'ecr-auth';
import { configPath, loadConfig, type CliConfig } from './config-file.js';
import { EXIT_CODES, exitCodeFor, UsageError } from './exit-codes.js';
import { timeoutFrom } from './helper-slow.js';
import { version } from './helper-fast.js';
import { kubernetesSecret } from './kubernetes-secret.js';
import { ecrHostsIn, removeFromTarget, writeTarget, type FileTarget, type WriteOutcome } from './targets.js';
import { cacheDir, cacheDisabled, type Env } from './token-cache.js';
import { resolveTarget, TokenSource, type CommandLineSettings, type SourcedToken, type TokenTarget } from './token-source.js';
import { watch, type WatchSteps } from './watch.js';


/** Default deadline of one token fetch of `ecr-auth`, retries included, ms (`ECR_AUTH_TIMEOUT_MS`). */
export const CLI_TIMEOUT_MS = 10_000;

/** A stream the command writes text to (`process.stdout`, or a test's collector). */
export interface TextSink {
  /**
   * Writes text.
   *
   * @param text - what to write.
   */
  write(text: string): unknown;
}

/** Where the command writes, and what it reads; injectable for tests. */
export interface CliIo {
  /** Standard output. */
  stdout: TextSink;
  /** Standard error. */
  stderr: TextSink;
  /** The environment. */
  env: Env;
  /** Stops `login --watch` (SIGTERM/SIGINT in the real command). */
  signal?: AbortSignal;
}

/** The `--help` text. */
export const HELP = `Usage: ecr-auth <command> [options]

Commands:
  get-login-password [REGISTRY]   print the ECR password (pipe it to: docker login --username AWS --password-stdin)
  login [REGISTRY...]             write the registries' credentials into auth files (default: Docker's config)
  logout [REGISTRY...]            remove the registries' entries (default: every ECR entry) from the auth files
  kubernetes-secret [REGISTRY...] --name NAME [--namespace NS] [--output json|yaml]   print a pull Secret for kubectl apply -f -

Targets (login, logout; repeatable; none = --docker):
  --docker[=PATH]        Docker's config.json (default $DOCKER_CONFIG/config.json, ~/.docker/config.json)
  --podman[=PATH]        Podman's auth.json (default $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json)
  --buildah[=PATH]       Buildah's authfile (same defaults as Podman)

Options:
  --region REGION        region of the caller's own registry, or of a custom host name
  --profile NAME         AWS profile (default: AWS_PROFILE, then the default credentials chain)
  --endpoint-url URL     ECR (or ECR Public) API endpoint (default: AWS_ENDPOINT_URL_ECR, AWS's)
  --public               ECR Public (public.ecr.aws) instead of the caller's private registry
  --watch                login: stay running and renew the files before each expiry (stop: SIGTERM/SIGINT)
  --store-in-helper      login: store through a credsStore/credHelpers helper that shadows the file entry
  --no-cache             neither read nor write the persistent token cache
  --json                 machine-readable output (one JSON document; one per line with --watch)
  -q, --quiet            print nothing but errors (and the password of get-login-password)
  --debug                log what happens (never a secret) and stack traces to stderr
  -h, --help             show this help
  -v, --version          show the version

Registries: 123456789012.dkr.ecr.us-east-1.amazonaws.com, https://..., host/repo:tag, public.ecr.aws, or a
custom name mapped in the configuration file ($XDG_CONFIG_HOME/ecr-auth/config.json).
Exit codes: 0 ok, 1 unexpected, 2 bad input, 3 no/invalid credentials, 4 access denied, 5 network,
6 ECR service error, 7 auth file error, 130 interrupted.
`;

const OPTIONS = {
  region: { type: 'string' },
  profile: { type: 'string' },
  'endpoint-url': { type: 'string' },
  public: { type: 'boolean' },
  docker: { type: 'string', multiple: true },
  podman: { type: 'string', multiple: true },
  buildah: { type: 'string', multiple: true },
  watch: { type: 'boolean' },
  'store-in-helper': { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  name: { type: 'string' },
  namespace: { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const;

type Values = ReturnType<typeof parse>['values'];

function parse(args: readonly string[]) {
  // `--docker` alone means "the default path": give it an empty value so it does not eat the next argument.
  const normalized = args.map((arg) => (arg === '--docker' || arg === '--podman' || arg === '--buildah' ? `${arg}=` : arg));
  return parseArgs({ args: normalized, options: OPTIONS, allowPositionals: true, strict: true });
}

interface Context {
  io: CliIo;
  values: Values;
  config: CliConfig;
  source: TokenSource;
  info: (line: string) => void;
  debug: (line: string) => void;
}

/** Escapes control characters (but not line breaks) so that no input echoed in a message drives the terminal. */
function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is escaped
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Runs the `ecr-auth` command.
 *
 * @param argv - the arguments after the program name.
 * @param io - streams, environment and a stop signal.
 * @returns the exit code (see {@link EXIT_CODES}).
 *
 * @example
 * ```ts
 * import { main } from '@ecr-auth/cli';
 *
 * // what `ecr-auth login --podman=/ci/auth.json` does, with the streams and environment of this process
 * process.exitCode = await main(['login', '123456789012.dkr.ecr.eu-west-1.amazonaws.com', '--podman=/ci/auth.json'], {
 *   stdout: process.stdout,
 *   stderr: process.stderr,
 *   env: process.env,
 * });
 * ```
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let values: Values | undefined;
  let positionals: string[];
  const stderrLine = (line: string) => io.stderr.write(`${terminalSafe(line)}\n`);
  try {
    ({ values, positionals } = parse(argv));
  } catch (error) {
    stderrLine(`ecr-auth: ${(error as Error).message} (see ecr-auth --help)`);
    return EXIT_CODES.usage;
  }
  const debugOn = values.debug === true;
  const debug = (line: string) => {
    if (debugOn) stderrLine(`[debug] ${line}`);
  };
  if (values.version) {
    io.stdout.write(`${version()}\n`);
    return EXIT_CODES.ok;
  }
  const endpointUrl = values['endpoint-url'];
  if (endpointUrl !== undefined && !/^https?:$/.test(URL.parse(endpointUrl)?.protocol ?? '')) {
    stderrLine('ecr-auth: --endpoint-url must be an http(s) URL, such as https://api.ecr.us-east-1.amazonaws.com or http://127.0.0.1:5000');
    return EXIT_CODES.usage;
  }
  const [command, ...registries] = positionals;
  const pathLike = registries.find((r) => /^(\.{0,2}\/|~)/.test(r));
  if (pathLike !== undefined) {
    stderrLine(`ecr-auth: "${pathLike}" looks like a file path, not a registry; give a target file as --docker=PATH, --podman=PATH or --buildah=PATH`);
    return EXIT_CODES.usage;
  }
  if (values.help || command === 'help') {
    io.stdout.write(HELP);
    return EXIT_CODES.ok;
  }
  if (command === undefined) {
    io.stderr.write(HELP);
    return EXIT_CODES.usage;
  }
  const source = new TokenSource({
    cacheDir: cacheDir(io.env),
    useCache: values['no-cache'] !== true && !cacheDisabled(io.env),
    timeoutMs: timeoutFrom(io.env['ECR_AUTH_TIMEOUT_MS'], CLI_TIMEOUT_MS),
    logger: debugOn ? { debug, info: debug, warn: debug, error: debug } : undefined,
    env: io.env,
  });
  try {
    const context: Context = {
      io,
      values,
      config: loadConfig(configPath(io.env)),
      source,
      info: (line) => {
        if (!values.quiet && !values.json) stderrLine(line);
      },
      debug,
    };
    switch (command) {
      case 'get-login-password':
        return await getLoginPassword(context, registries);
      case 'login':
        return await login(context, registries);
      case 'logout':
        return await logout(context, registries);
      case 'kubernetes-secret':
        return await kubernetesSecret({ registries, name: values.name, namespace: values.namespace, output: values.output, stdout: io.stdout, tokens: async (names) => (await tokensFor(context, names.map((r) => resolveTarget(r, context.config, flagsOf(values), io.env)))).map((r) => r.token) });
      default:
        throw new UsageError(`unknown command "${command}" (see ecr-auth --help)`);
    }
  } catch (error) {
    // Interrupted (Ctrl-C, SIGTERM): the exit code says so; nothing more is printed.
    if (io.signal?.aborted) return EXIT_CODES.interrupted;
    const message = error instanceof Error ? error.message : String(error);
    stderrLine(message.startsWith('ecr-auth:') ? message : `ecr-auth: ${message}`);
    if (debugOn && error instanceof Error && error.stack) stderrLine(error.stack);
    return exitCodeFor(error);
  } finally {
    await source.close();
  }
}

function flagsOf(values: Values): CommandLineSettings {
  return { region: values.region, profile: values.profile, endpoint: values['endpoint-url'], public: values.public };
}

function fileTargets(values: Values): FileTarget[] {
  const targets: FileTarget[] = [];
  for (const tool of ['docker', 'podman', 'buildah'] as const) {
    for (const path of values[tool] ?? []) targets.push({ tool, path: path === '' ? undefined : path });
  }
  return targets.length > 0 ? targets : [{ tool: 'docker', path: undefined }];
}

async function getLoginPassword(context: Context, registries: string[]): Promise<number> {
  if (registries.length > 1) throw new UsageError('get-login-password takes at most one registry');
  if (context.values.watch) throw new UsageError('--watch is for login');
  const target = resolveTarget(registries[0], context.config, flagsOf(context.values), context.io.env);
  const { token, origin } = await context.source.get(target, { signal: context.io.signal });
  // No output after Ctrl-C, even when the token arrived in the same moment.
  context.io.signal?.throwIfAborted();
  context.debug(`token for ${token.registry} from ${origin}, valid until ${token.expiresAt.toISOString()}`);
  if (context.values.json) {
    const { password: _redacted, ...rest } = token.toJSON();
    context.io.stdout.write(`${JSON.stringify({ ...rest, password: token.revealPassword(), origin })}\n`);
  } else {
    context.io.stdout.write(`${token.revealPassword()}\n`);
  }
  return EXIT_CODES.ok;
}

/** Gets one token per target (sharing cached tokens), addressed to its registry. */
function tokensFor(context: Context, targets: readonly TokenTarget[]): Promise<SourcedToken[]> {
  return Promise.all(targets.map((target) => context.source.get(target, { signal: context.io.signal })));
}

function outcomeLine(outcome: WriteOutcome): string {
  const parts = outcome.entries.map((e) => (e.storage === 'file' ? e.registry : `${e.registry} (${e.storage === 'served-by-helper' ? 'served by' : 'stored in'} docker-credential-${e.helper ?? '?'})`));
  return `${outcome.tool}: ${outcome.path}: ${parts.join(', ')} (expires ${outcome.expiresAt.toISOString()})`;
}

function outcomeJson(outcome: WriteOutcome): Record<string, unknown> {
  return { tool: outcome.tool, path: outcome.path, changed: outcome.changed, entries: outcome.entries, expiresAt: outcome.expiresAt.toISOString() };
}

async function writeAll(context: Context, files: readonly FileTarget[], tokens: readonly AuthorizationToken[]): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = [];
  for (const file of files) {
    outcomes.push(await writeTarget(file, tokens, { storeInHelper: context.values['store-in-helper'] === true, env: context.io.env, signal: context.io.signal }));
  }
  return outcomes;
}

async function login(context: Context, registries: string[]): Promise<number> {
  const flags = flagsOf(context.values);
  const targets = (registries.length > 0 ? registries : [undefined]).map((r) => resolveTarget(r, context.config, flags, context.io.env));
  const files = fileTargets(context.values);
  const steps = watchSteps(context, targets, files);
  let initial: SourcedToken[] | undefined;
  try {
    initial = await tokensFor(context, targets);
    const outcomes = await writeAll(context, files, initial.map((r) => r.token));
    if (context.values.json) {
      context.io.stdout.write(`${JSON.stringify({ event: 'login', files: outcomes.map(outcomeJson), origins: initial.map((r) => r.origin) })}\n`);
    } else if (!context.values.quiet) {
      for (const outcome of outcomes) context.io.stdout.write(`${outcomeLine(outcome)}\n`);
    }
  } catch (error) {
    // A watch that starts during an outage keeps trying; a one-shot login reports the failure.
    if (!context.values.watch || steps.isFatal(error) || context.io.signal?.aborted) throw error;
    steps.warn(`ecr-auth: login failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]?.replace(/^ecr-auth: /, '')}; --watch keeps trying`);
    initial = undefined;
  }
  if (!context.values.watch) return EXIT_CODES.ok;
  await watch(steps, initial);
  return EXIT_CODES.ok;
}

/** The steps of `login --watch`, bound to this command's targets, files and output. */
function watchSteps(context: Context, targets: readonly TokenTarget[], files: readonly FileTarget[]): WatchSteps {
  return {
    signal: context.io.signal,
    fetch: async () => {
      const results = await tokensFor(context, targets);
      const stale = results.find((r) => r.origin === 'stale-cache');
      if (stale) throw stale.renewalError ?? new Error('renewal failed');
      return results;
    },
    write: async (tokens) => {
      const outcomes = await writeAll(context, files, tokens);
      return { files: outcomes.map(outcomeJson), line: outcomes.map((o) => `${o.tool}:${o.path}`).join(', ') };
    },
    remove: async (tokens) => {
      const hosts = [...new Set(tokens.map((t) => t.registry))];
      const outcomes = [];
      for (const file of files) outcomes.push(await removeFromTarget(file, hosts, context.io.env, context.io.signal));
      return { files: outcomes, line: outcomes.map((o) => `${o.tool}:${o.path}: ${o.removed.join(', ') || 'nothing'}`).join('; ') };
    },
    report: (event, line) => {
      if (context.values.json) context.io.stdout.write(`${JSON.stringify(event)}\n`);
      else if (!context.values.quiet) context.io.stdout.write(`${line}\n`);
    },
    warn: (line) => {
      context.io.stderr.write(`${line}\n`);
    },
    isFatal: (error) => exitCodeFor(error) === EXIT_CODES.usage,
  };
}

async function logout(context: Context, registries: string[]): Promise<number> {
  const files = fileTargets(context.values);
  const results = [];
  for (const file of files) {
    let hosts: string[];
    if (registries.length > 0) {
      hosts = registries.map((r) => resolveTarget(r, context.config, flagsOf(context.values), context.io.env).host).filter((h): h is string => h !== undefined);
    } else {
      const mapped = Object.keys(context.config.registries ?? {}).filter((key) => !key.startsWith('*.'));
      hosts = [...new Set([...(await ecrHostsIn(file, context.io.env)), ...mapped])];
    }
    const outcome = await removeFromTarget(file, hosts, context.io.env, context.io.signal);
    results.push(outcome);
    if (!context.values.json && !context.values.quiet) {
      context.io.stdout.write(`${outcome.tool}: ${outcome.path}: ${outcome.removed.length > 0 ? `removed ${outcome.removed.join(', ')}` : 'nothing to remove'}\n`);
    }
  }
  if (context.values.json) context.io.stdout.write(`${JSON.stringify({ event: 'logout', files: results })}\n`);
  return EXIT_CODES.ok;
}
