/**
 * Which proxy, if any, a request goes through: `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and `NO_PROXY` (either
 * case, lower case first), read as curl and the AWS CLI read them, or the caller's `proxy` option. Pure: the
 * environment is a parameter.
 *
 * `NO_PROXY` is a comma (or space) separated list: `*` alone bypasses every host; `example.com`, `.example.com`
 * and `*.example.com` all match `example.com` and every name below it; an entry may end in `:port` to match one
 * port only; IP addresses match exactly, or by CIDR range (`10.0.0.0/8`).
 *
 * @module
 */
import { BlockList, isIP } from 'node:net';
import { displayEndpoint } from './display-url.js';
import { InvalidOptionError } from './errors.js';

/** A proxy to use for one request, and where that setting came from (for messages). */
export interface ProxyChoice {
  /** The proxy URL, user information included (never print it: use {@link ProxyChoice.display}). */
  readonly url: URL;
  /** `scheme://host:port` of the proxy, without user information: safe to print. */
  readonly display: string;
  /** Where the setting came from: `HTTPS_PROXY`, `http_proxy`, the `proxy` option, … */
  readonly source: string;
}

/** What decides the proxy: the caller's option (a URL, or `false` for none) and the environment. */
export interface ProxySettings {
  /** A proxy URL for every request, `false` for no proxy at all, `undefined` for the environment's. */
  readonly proxy?: string | false | undefined;
}

function read(env: NodeJS.ProcessEnv, name: string): { value: string; source: string } | undefined {
  for (const key of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[key]?.trim();
    if (value) return { value, source: key };
  }
  return undefined;
}

/**
 * Parses a proxy setting; a value without a scheme is taken as `http://` (as curl does).
 *
 * @throws {@link InvalidOptionError} for a value that is not an http(s) URL (the message shows no credentials).
 */
export function parseProxyUrl(value: string, source: string): ProxyChoice {
  const text = value.includes('://') ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidOptionError(`${source} is not a valid proxy URL; use http://host:port (or unset it)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidOptionError(
      `${source} names a ${url.protocol.slice(0, -1)} proxy (${displayEndpoint(text)}); only http:// and https:// proxies are supported`,
    );
  }
  // Stryker disable next-line ConditionalExpression,StringLiteral: an http(s) URL without a host does not parse (refused above); kept as a guard
  if (!url.hostname) throw new InvalidOptionError(`${source} names no proxy host; use http://host:port`);
  return { url, display: displayEndpoint(url.href).replace(/\/$/, ''), source };
}

/** A host name as compared: lower case, no trailing dot, IPv6 without brackets. */
function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
}

/** Splits `host:port` (or `[v6]:port`, or a bare IPv6 address) into its parts. */
function splitEntry(entry: string): { host: string; port: number | undefined } {
  // Stryker disable all: the general host:port split below, with normalizeHost removing the brackets, gives the same
  // result for every bracketed entry; this branch only says what is meant
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1] ?? '', port: bracketed[2] ? Number(bracketed[2]) : undefined };
  // Stryker restore all
  if (isIP(entry.split('/')[0] ?? '') === 6) return { host: entry, port: undefined };
  const withPort = /^(.*):(\d+)$/.exec(entry);
  if (withPort) return { host: withPort[1] ?? '', port: Number(withPort[2]) };
  return { host: entry, port: undefined };
}

function matchesCidr(host: string, cidr: string): boolean {
  const [network, bits] = cidr.split('/');
  const family = isIP(network ?? '');
  const hostFamily = isIP(host);
  if (!family || family !== hostFamily || bits === undefined || !/^\d+$/.test(bits)) return false;
  const list = new BlockList();
  try {
    list.addSubnet(network ?? '', Number(bits), family === 6 ? 'ipv6' : 'ipv4');
  } catch {
    return false;
  }
  return list.check(host, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Whether `NO_PROXY` says to reach `host:port` directly.
 *
 * @param host - the target host name or address.
 * @param port - the target port.
 * @param noProxy - the `NO_PROXY` value (or `undefined`).
 * @returns `true` when the request must not go through a proxy.
 */
export function bypassesProxy(host: string, port: number, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const target = normalizeHost(host);
  // Stryker disable next-line Regex: empty pieces between single separators are skipped below
  for (const raw of noProxy.split(/[,\s]+/)) {
    // Stryker disable next-line MethodExpression: the pieces have no blanks, and every comparison below lower-cases again
    const entry = raw.trim().toLowerCase();
    // Stryker disable next-line ConditionalExpression: an empty entry leaves an empty name, skipped below
    if (!entry) continue;
    if (entry === '*') return true;
    const { host: entryHost, port: entryPort } = splitEntry(entry);
    if (entryPort !== undefined && entryPort !== port) continue;
    if (entryHost.includes('/')) {
      if (matchesCidr(target, entryHost)) return true;
      continue;
    }
    const name = normalizeHost(entryHost.replace(/^\*?\./, ''));
    // Stryker disable next-line ConditionalExpression: a normalised target is never empty nor ends with "."
    if (!name) continue;
    if (target === name) return true;
    if (!isIP(target) && target.endsWith(`.${name}`)) return true;
  }
  return false;
}

/**
 * The proxy for a request to `target`, or `undefined` to connect directly.
 *
 * @param target - the request URL (its scheme picks `HTTPS_PROXY` or `HTTP_PROXY`).
 * @param settings - the caller's `proxy` option.
 * @param env - the environment (default `process.env`).
 * @returns the proxy to use, or `undefined`.
 * @throws {@link InvalidOptionError} when the proxy setting is not a usable URL.
 */
export function proxyFor(target: URL, settings: ProxySettings, env: NodeJS.ProcessEnv = process.env): ProxyChoice | undefined {
  if (settings.proxy === false) return undefined;
  const secure = target.protocol === 'https:';
  const port = Number(target.port) || (secure ? 443 : 80);
  if (bypassesProxy(target.hostname, port, read(env, 'NO_PROXY')?.value)) return undefined;
  if (settings.proxy !== undefined) return parseProxyUrl(settings.proxy, 'the proxy option');
  const found = read(env, secure ? 'HTTPS_PROXY' : 'HTTP_PROXY') ?? read(env, 'ALL_PROXY');
  return found && parseProxyUrl(found.value, found.source);
}

/**
 * Whether any proxy could apply to some request under these settings (so that proxy-aware agents are needed).
 *
 * @param settings - the caller's `proxy` option.
 * @param env - the environment.
 */
export function mayUseProxy(settings: ProxySettings, env: NodeJS.ProcessEnv = process.env): boolean {
  if (settings.proxy === false) return false;
  if (settings.proxy !== undefined) return true;
  return ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY'].some((name) => read(env, name) !== undefined);
}
