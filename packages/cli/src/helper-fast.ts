/**
 * `docker-credential-ecr-auth`: the Docker credential helper protocol (`get`, `list`, `store`, `erase`,
 * `version`). This module is the start-up path: only `node:` builtins, the registry rule and the small cache
 * modules, so a warm `get` costs little more than starting Node. The SDK is loaded by {@link "helper-slow"}
 * on a cache miss.
 *
 * A `get` whose cached token is still valid answers at once. When the token is due for renewal, the answer
 * still comes from the cache and one detached process renews it in the background, unless another process
 * already is, or a recent failure is cooling down (both recorded in the cache, so every helper sees them).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { inspectLock } from '@ecr-auth/auth-file';
import { ConfigError, configPath, loadConfig, type CliConfig } from './config-file.js';
import { placeRegistry, type PlacedRegistry } from './registry-rule.js';
import {
  cacheDir,
  cacheDisabled,
  cachedRecordNames,
  cacheFileName,
  cacheScope,
  fetchLockPath,
  readCachedToken,
  readCooldown,
  tokenState,
  type CacheScope,
  type Env,
} from './token-cache.js';

/** The exact text that tells Docker "no credentials for this host" (it then goes on without). */
export const NOT_FOUND = 'credentials not found in native keychain';

/** The helper's internal command that renews a token in the background (run detached by a `get`). */
export const REFRESH_COMMAND = 'refresh-in-background';

/** What a helper run produced: text for stdout and stderr, and the exit code. */
export interface HelperResult {
  /** For stdout. */
  stdout: string;
  /** For stderr (one line, or empty). */
  stderr: string;
  /** 0 or 1. */
  code: number;
  /** A server URL whose token should be renewed by a detached process after answering. */
  refreshInBackground?: string;
}

/** The cheap part of a `get` that could not answer alone: the token must be fetched. */
export interface FastLookup {
  /** The server URL as given (the answer repeats it). */
  serverUrl: string;
  /** The bare host. */
  host: string;
}

function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The answer of a successful `get`.
 *
 * @param serverUrl - the server as asked.
 * @param username - the user name.
 * @param secret - the password.
 * @returns the JSON line.
 */
export function getAnswer(serverUrl: string, username: string, secret: string): string {
  return `${JSON.stringify({ ServerURL: serverUrl, Username: username, Secret: secret })}\n`;
}

const notFound = (stderr = ''): HelperResult => ({ stdout: `${NOT_FOUND}\n`, stderr, code: 1 });
const failure = (line: string): HelperResult => ({ stdout: `${line}\n`, stderr: '', code: 1 });
const ok = (stdout = ''): HelperResult => ({ stdout, stderr: '', code: 0 });

/** The configuration file, or the not-found answer naming what is wrong with it. */
function configOrAnswer(env: Env): CliConfig | HelperResult {
  try {
    return loadConfig(configPath(env));
  } catch (error) {
    return notFound(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  }
}

function placeOrUndefined(serverUrl: string, config: CliConfig): PlacedRegistry | undefined {
  try {
    return placeRegistry(serverUrl, config);
  } catch /* Stryker disable next-line BlockStatement: an empty catch returns undefined as well */ {
    return undefined;
  }
}

/**
 * The cache scope that serves a placed registry in this environment.
 *
 * @param placed - the registry.
 * @param env - the environment.
 * @returns the scope, or `undefined` when the registry's region is not known.
 */
export function scopeOfPlaced(placed: PlacedRegistry, env: Env): CacheScope | undefined {
  if (placed.region === undefined) return undefined;
  const { settings } = placed;
  const variant = placed.custom ? {} : { fips: placed.fips, dualStack: placed.dualStack };
  return cacheScope({ kind: placed.kind, region: placed.region, endpoint: settings.endpoint, profile: settings.profile, roleArn: settings.roleArn, ...variant }, env);
}

function get(serverUrl: string, env: Env): HelperResult | FastLookup {
  const config = configOrAnswer(env);
  if ('code' in config) return config;
  const placed = placeOrUndefined(serverUrl, config);
  const scope = placed && scopeOfPlaced(placed, env);
  if (!placed || !scope) return notFound();
  if (cacheDisabled(env)) return { serverUrl, host: placed.host };
  const dir = cacheDir(env);
  const cached = readCachedToken(dir, scope);
  // Stryker disable next-line StringLiteral: the fallback is never read: !cached decides first on the next line
  const state = cached ? tokenState(cached) : 'expired';
  if (!cached || state === 'expired') return { serverUrl, host: placed.host };
  const answer = ok(getAnswer(serverUrl, cached.username, cached.password));
  if (state === 'fresh' || readCooldown(dir, scope) !== undefined) return answer;
  let renewing: boolean;
  try {
    renewing = inspectLock(fetchLockPath(dir, scope)) === 'held';
  } catch {
    renewing = true; // a lock we cannot read: leave the renewal to whoever can
  }
  return renewing ? answer : { ...answer, refreshInBackground: serverUrl };
}

/** `list`: exactly the registries `get` would answer from the cache in this environment. */
function list(env: Env): HelperResult {
  const out: Record<string, string> = {};
  const config = configOrAnswer(env);
  if ('code' in config || cacheDisabled(env)) return ok(`${JSON.stringify(out)}\n`);
  const dir = cacheDir(env);
  for (const name of cachedRecordNames(dir)) {
    let registry: unknown;
    try {
      ({ registry } = JSON.parse(readFileSync(`${dir}/${name}`, 'utf8')) as { registry?: unknown });
    } catch /* Stryker disable next-line BlockStatement: an empty catch leaves registry undefined, which the next check skips as well */ {
      continue;
    }
    // Stryker disable next-line ConditionalExpression: a non-string registry makes placeRegistry throw, which placeOrUndefined turns into the same skip (the "true" variant is killed)
    if (typeof registry !== 'string') continue;
    const placed = placeOrUndefined(registry, config);
    const scope = placed && scopeOfPlaced(placed, env);
    // Stryker disable next-line ConditionalExpression: the token is then read from this scope's own file, which the loop lists under its own name anyway (same host, same answer)
    if (!placed || !scope || cacheFileName(scope) !== name) continue;
    const token = readCachedToken(dir, scope);
    if (token && tokenState(token) !== 'expired') out[placed.host] = token.username;
  }
  return ok(`${JSON.stringify(out)}\n`);
}

/** `store`: ECR tokens come from ECR, so storing one is a no-op; anything else is refused (nothing is kept here). */
function store(input: string, env: Env): HelperResult {
  if (env['AWS_ECR_IGNORE_CREDS_STORAGE'] === 'true') return ok();
  let serverUrl: unknown;
  try {
    ({ ServerURL: serverUrl } = JSON.parse(input) as { ServerURL?: unknown });
  } catch {
    return failure('ecr-auth: store expects the credentials as JSON on stdin ({"ServerURL": ..., "Username": ..., "Secret": ...})');
  }
  if (typeof serverUrl !== 'string' || serverUrl.trim() === '') return failure('ecr-auth: store needs a ServerURL');
  const config = configOrAnswer(env);
  if (!('code' in config) && placeOrUndefined(serverUrl, config)) return ok();
  return failure(
    `ecr-auth cannot store credentials for ${JSON.stringify(serverUrl.slice(0, 200))}: it only serves AWS ECR registries. ` +
      'Name it in "credHelpers" for ECR hosts instead of "credsStore" (or set AWS_ECR_IGNORE_CREDS_STORAGE=true to drop them).',
  );
}

/** `erase`: nothing is kept for ECR hosts, so there is nothing to forget; other hosts were never ours. */
function erase(input: string, env: Env): HelperResult {
  if (env['AWS_ECR_IGNORE_CREDS_STORAGE'] === 'true') return ok();
  const config = configOrAnswer(env);
  return !('code' in config) && placeOrUndefined(input.trim(), config) ? ok() : notFound();
}

/**
 * Runs the helper's cheap part. Returns a result when it can answer alone, or the lookup to complete on the
 * slow path (a cache miss).
 *
 * @param command - the protocol command.
 * @param env - the environment.
 * @param stdin - reads what Docker wrote on standard input (the server URL for `get`).
 * @returns the result, or the lookup to complete on the slow path.
 */
export function runFast(command: string | undefined, env: Env, stdin: () => string = readStdin): HelperResult | FastLookup {
  switch (command) {
    case 'get':
      return get(stdin().trim(), env);
    case 'list':
      return list(env);
    case 'store':
      return store(stdin(), env);
    case 'erase':
      return erase(stdin(), env);
    case 'version':
    case '--version':
    case '-v':
      return ok(`docker-credential-ecr-auth ${version()}\n`);
    default:
      return {
        stdout: '',
        stderr: 'Usage: docker-credential-ecr-auth get|list|store|erase|version\n(a Docker credential helper for AWS ECR; see ecr-auth --help)\n',
        code: command === '--help' || command === '-h' ? 0 : 1,
      };
  }
}

/**
 * The package version, from its `package.json`: one folder up from `dist/` modules, two from the bundled
 * `dist/bin/*.cjs` helper.
 *
 * @returns the version string.
 */
export function version(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (manifest.name === '@ecr-auth/cli') return manifest.version;
    } catch {
      // Not there: try the next folder up.
    }
  }
  return 'unknown';
}
