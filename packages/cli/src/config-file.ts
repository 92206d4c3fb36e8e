/**
 * The configuration file: defaults and a registry → profile / region / role mapping. No dependency beyond
 * `node:fs`, so that the credential helper's start-up path can read it.
 *
 * @module
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Env } from './token-cache.js';

/**
 * The configuration file: `$ECR_AUTH_CONFIG`, else `$XDG_CONFIG_HOME/ecr-auth/config.json`, else
 * `~/.config/ecr-auth/config.json`.
 *
 * @param env - the environment; defaults to `process.env`.
 * @returns the path (the file need not exist).
 *
 * @example
 * ```ts
 * import { configPath } from '@ecr-auth/cli';
 *
 * configPath({ XDG_CONFIG_HOME: '/home/me/.config' }); // '/home/me/.config/ecr-auth/config.json'
 * ```
 */
export function configPath(env: Env = process.env): string {
  const explicit = env['ECR_AUTH_CONFIG'];
  if (explicit) return explicit;
  const xdg = env['XDG_CONFIG_HOME'];
  return join(xdg || join(env['HOME'] || homedir(), '.config'), 'ecr-auth', 'config.json');
}

/** How to get the token of one registry (or the defaults of every registry). All fields are optional. */
export interface RegistrySettings {
  /** The AWS region that issues the token; required for custom host names (proxies, aliases). */
  region?: string;
  /** The 12-digit account of a custom-named registry (reported on the token). */
  accountId?: string;
  /** A profile of the shared AWS config files. */
  profile?: string;
  /** A role to assume (with the profile's or the default credentials) before asking for the token. */
  roleArn?: string;
  /**
   * The session name of the assumed role.
   *
   * @defaultValue `'ecr-auth'`
   */
  roleSessionName?: string;
  /** The external id the role's trust policy asks for. */
  externalId?: string;
  /** Whether a custom host name fronts ECR Public rather than a private registry. */
  public?: boolean;
  /** An endpoint URL for the ECR (or ECR Public) API, e.g. a VPC endpoint or a local emulator. */
  endpoint?: string;
}

/**
 * The content of `config.json`: top-level defaults for every registry, and per-registry settings keyed by
 * host (`127.0.0.1:5000`, `123456789012.dkr.ecr.eu-west-1.amazonaws.com`) or by a `*.suffix` wildcard.
 *
 * @example
 * ```json
 * {
 *   "profile": "ci",
 *   "registries": {
 *     "registry.example.com": { "region": "eu-west-1", "accountId": "123456789012" },
 *     "*.dkr.ecr.us-east-1.amazonaws.com": { "roleArn": "arn:aws:iam::123456789012:role/ecr-pull" }
 *   }
 * }
 * ```
 */
export interface CliConfig extends RegistrySettings {
  /** Settings per registry host or `*.suffix` wildcard. */
  registries?: Record<string, RegistrySettings>;
}

/**
 * The configuration file is unreadable or invalid.
 *
 * @example
 * ```ts
 * import { ConfigError, parseConfig } from '@ecr-auth/cli';
 *
 * try {
 *   parseConfig({ registries: { 'registry.example.com': { region: 'nowhere' } } });
 * } catch (error) {
 *   if (error instanceof ConfigError) console.error(error.message); // names the key: registries["registry.example.com"].region
 * }
 * ```
 */
export class ConfigError extends Error {
  /** A stable code for scripts: always `ECR_AUTH_INVALID_CONFIG`. */
  readonly code = 'ECR_AUTH_INVALID_CONFIG';

  /** @param message - what is wrong, and where. */
  constructor(message: string) {
    super(message.startsWith('ecr-auth:') ? message : `ecr-auth: ${message}`);
    this.name = 'ConfigError';
  }
}

const STRING_KEYS = ['region', 'accountId', 'profile', 'roleArn', 'roleSessionName', 'externalId', 'endpoint'] as const;
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

function checkSettings(value: unknown, where: string, allowRegistries: boolean): CliConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${where} must be a JSON object`);
  const out: CliConfig = {};
  for (const [key, field] of Object.entries(value)) {
    if ((STRING_KEYS as readonly string[]).includes(key)) {
      if (typeof field !== 'string' || field === '') throw new ConfigError(`${where}.${key} must be a non-empty string`);
      out[key as (typeof STRING_KEYS)[number]] = field;
    } else if (key === 'public') {
      if (typeof field !== 'boolean') throw new ConfigError(`${where}.public must be true or false`);
      out.public = field;
    } else if (key === 'registries' && allowRegistries) {
      if (typeof field !== 'object' || field === null || Array.isArray(field)) throw new ConfigError(`${where}.registries must be a JSON object`);
      const registries: Record<string, RegistrySettings> = {};
      for (const [host, settings] of Object.entries(field)) {
        if (!/^(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i.test(host)) {
          throw new ConfigError(`${where}.registries: "${host}" is not a host name (or a *.suffix wildcard)`);
        }
        // `host:443` is `host`, as for the registry names it is matched against.
        registries[host.toLowerCase().replace(/:443$/, '')] = checkSettings(settings, `${where}.registries["${host}"]`, false);
      }
      out.registries = registries;
    } else if (key !== '$schema' && key !== 'comment') {
      throw new ConfigError(`${where}: unknown key "${key}"`);
    }
  }
  if (out.region !== undefined && !REGION.test(out.region)) throw new ConfigError(`${where}.region: "${out.region}" is not an AWS region name`);
  if (out.accountId !== undefined && !ACCOUNT.test(out.accountId)) throw new ConfigError(`${where}.accountId must be 12 digits`);
  if (out.roleArn !== undefined && !ROLE_ARN.test(out.roleArn)) throw new ConfigError(`${where}.roleArn: "${out.roleArn}" is not an IAM role ARN`);
  if (out.endpoint !== undefined && !/^https?:\/\/[^\s]+$/.test(out.endpoint)) throw new ConfigError(`${where}.endpoint must be an http(s) URL`);
  return out;
}

/**
 * Checks a parsed configuration document.
 *
 * @param value - the parsed JSON.
 * @param path - the file it came from, for messages.
 * @returns the typed configuration.
 * @throws {@link ConfigError} naming the offending key.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { parseConfig } from '@ecr-auth/cli';
 *
 * const path = 'ecr-auth.json';
 * const config = parseConfig(JSON.parse(readFileSync(path, 'utf8')), path);
 * console.log(Object.keys(config.registries ?? {}));
 * ```
 */
export function parseConfig(value: unknown, path = 'config.json'): CliConfig {
  return checkSettings(value, path, true);
}

/**
 * Reads the configuration file. A missing file is an empty configuration.
 *
 * @param path - the file (see `configPath`).
 * @returns the typed configuration.
 * @throws {@link ConfigError} when the file cannot be read or is invalid.
 *
 * @example
 * ```ts
 * import { configPath, loadConfig } from '@ecr-auth/cli';
 *
 * const config = loadConfig(configPath()); // {} when the file does not exist
 * console.log(config.profile, config.registries);
 * ```
 */
export function loadConfig(path: string): CliConfig {
  const text = readRegularFile(path);
  if (text === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // The parser's message may quote the file (a secret in the wrong place): keep only what went wrong.
    const what = ((error as Error).message.split(/[,"]/)[0] ?? '').trim();
    throw new ConfigError(`${path} is not valid JSON (${what}); fix the file or remove it`);
  }
  return parseConfig(json, path);
}

/** Reads a file that must be a regular one; never blocks on a FIFO. `undefined` when it does not exist. */
function readRegularFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new ConfigError(`${path} is not a regular file (${info.isDirectory() ? 'a folder' : info.isFIFO() ? 'a FIFO' : 'a special file'}); the configuration file must be a JSON file`);
    if (info.size > 1024 * 1024) throw new ConfigError(`${path} is ${info.size} bytes, too large for a configuration file`);
    return readFileSync(fd, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  } finally {
    closeSync(fd);
  }
}

/** What {@link settingsFor} found for a host. */
export interface MatchedSettings {
  /** The merged settings. */
  settings: RegistrySettings;
  /** Whether an entry of `registries` matched the host. */
  matched: boolean;
  /** The matching entry of `registries` alone (without the top-level defaults), if any. */
  entry?: RegistrySettings | undefined;
  /** The key of the matching entry: the host itself, or a `*.suffix` wildcard. */
  pattern?: string | undefined;
}

/**
 * The settings that apply to one registry host: the top-level defaults, overridden by the most specific
 * matching entry of `registries` (the exact host, else the longest matching `*.suffix`).
 *
 * @example
 * ```ts
 * const config = { profile: 'ci', registries: { '*.example.com': { region: 'eu-west-1' } } };
 * settingsFor(config, 'mirror.example.com');
 * // { settings: { profile: 'ci', region: 'eu-west-1' }, matched: true, entry: { region: 'eu-west-1' }, pattern: '*.example.com' }
 * ```
 *
 * @param config - the configuration.
 * @param host - a bare, lower-case host (with its port, if any).
 * @returns the merged settings, and which entry of `registries` matched.
 */
export function settingsFor(config: CliConfig, host: string | undefined): MatchedSettings {
  const { registries, ...defaults } = config;
  let entry: RegistrySettings | undefined;
  let pattern: string | undefined;
  if (host !== undefined && registries) {
    if (Object.hasOwn(registries, host)) {
      entry = registries[host];
      pattern = host;
    } else {
      for (const [key, settings] of Object.entries(registries)) {
        if (key.startsWith('*.') && host.endsWith(key.slice(1)) && key.length > (pattern?.length ?? 0)) {
          pattern = key;
          entry = settings;
        }
      }
    }
  }
  return { settings: { ...defaults, ...entry }, matched: entry !== undefined, entry, pattern };
}
