/**
 * `docker-credential-ecr-auth`: the Docker credential helper protocol (`get`, `list`, `store`, `erase`,
 * `version`). This module is the start-up path: only `node:` builtins and the small cache modules, so a warm
 * `get` costs little more than starting Node. The SDK is loaded by {@link "helper-slow"} on a cache miss.
 *
 * @module
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, configPath, loadConfig } from './config-file.js';
import { placeRegistry } from './registry-rule.js';
import { cacheDir, cacheScope, readCachedToken, tokenState, type CachedToken, type Env } from './token-cache.js';

/** The exact text that tells Docker "no credentials for this host" (it then goes on without). */
export const NOT_FOUND = 'credentials not found in native keychain';

/** What a helper run produced: text for stdout and stderr, and the exit code. */
export interface HelperResult {
  /** For stdout. */
  stdout: string;
  /** For stderr (one line, or empty). */
  stderr: string;
  /** 0 or 1. */
  code: number;
}

/** The cheap part of a `get`: where the token would come from, and the cached token if it is fresh. */
export interface FastLookup {
  /** The server URL as given (the answer repeats it). */
  serverUrl: string;
  /** The bare host. */
  host: string;
  /** A fresh cached token, if any. */
  cached: CachedToken | undefined;
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

/**
 * Runs the helper's cheap part. Returns a result when it can answer alone, or `undefined` when the token
 * must be fetched (a cache miss).
 *
 * @param command - the protocol command.
 * @param env - the environment.
 * @param stdin - reads what Docker wrote on standard input (the server URL for `get`).
 * @returns the result, or the lookup to complete on the slow path.
 */
export function runFast(command: string | undefined, env: Env, stdin: () => string = readStdin): HelperResult | FastLookup {
  switch (command) {
    case 'get': {
      const serverUrl = stdin().trim();
      let config;
      try {
        config = loadConfig(configPath(env));
      } catch (error) {
        return notFound(`${error instanceof ConfigError ? error.message : String(error)}\n`);
      }
      let placed;
      try {
        placed = placeRegistry(serverUrl, config);
      } catch {
        return notFound();
      }
      const { host, kind, region, settings } = placed;
      if (region === undefined) return notFound();
      const scope = cacheScope({ kind, region, endpoint: settings.endpoint, profile: settings.profile, roleArn: settings.roleArn }, env);
      const cached = readCachedToken(cacheDir(env), scope);
      if (cached && tokenState(cached) === 'fresh') return { stdout: getAnswer(serverUrl, cached.username, cached.password), stderr: '', code: 0 };
      return { serverUrl, host, cached: cached && tokenState(cached) !== 'expired' ? cached : undefined };
    }
    case 'list': {
      const dir = cacheDir(env);
      const out: Record<string, string> = {};
      let names: string[] = [];
      try {
        names = readdirSync(dir).filter((name) => /^[0-9a-f]{32}\.json$/.test(name));
      } catch {
        // no cache yet
      }
      for (const name of names) {
        try {
          const token = JSON.parse(readFileSync(join(dir, name), 'utf8')) as CachedToken;
          if (typeof token.registry === 'string' && typeof token.username === 'string' && tokenState(token) !== 'expired') out[token.registry] = token.username;
        } catch {
          // skip unreadable entries
        }
      }
      return { stdout: `${JSON.stringify(out)}\n`, stderr: '', code: 0 };
    }
    case 'store':
    case 'erase':
      // `docker login` / `docker logout` on an ECR host: tokens come from ECR, nothing to keep or forget.
      stdin();
      return { stdout: '', stderr: '', code: 0 };
    case 'version':
      return { stdout: `docker-credential-ecr-auth ${version()}\n`, stderr: '', code: 0 };
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
