/**
 * `@ecr-auth/cli`: the `ecr-auth` and `docker-credential-ecr-auth` executables, and the pieces they are made
 * of for programs that want the same behaviour: the persistent token cache, the configuration file
 * (registry → profile / region / role) and the command itself.
 *
 * @example
 * ```ts
 * import { TokenSource, resolveTarget, loadConfig, configPath, cacheDir } from '@ecr-auth/cli';
 *
 * const source = new TokenSource({ cacheDir: cacheDir(), timeoutMs: 10_000 });
 * const target = resolveTarget('123456789012.dkr.ecr.eu-west-1.amazonaws.com', loadConfig(configPath()));
 * const { token, origin } = await source.get(target); // origin: 'cache' | 'api' | 'stale-cache'
 * await source.close();
 * ```
 *
 * @packageDocumentation
 */
export { main, HELP, CLI_TIMEOUT_MS } from './main.js';
export { renewalDelay } from './watch.js';
export type { WatchedToken } from './watch.js';
export type { CliIo, TextSink } from './main.js';
export { EXIT_CODES, exitCodeFor, UsageError } from './exit-codes.js';
export { loadConfig, parseConfig, settingsFor, configPath, ConfigError } from './config-file.js';
export type { CliConfig, RegistrySettings, MatchedSettings } from './config-file.js';
export {
  cacheDir,
  cacheScope,
  cacheFileName,
  readCachedToken,
  writeCachedToken,
  removeCachedToken,
  ensureCacheDir,
  tokenState,
} from './token-cache.js';
export type { Env, CacheScope, ScopeInput, CachedToken, TokenState } from './token-cache.js';
export { TokenSource, resolveTarget, scopeOf } from './token-source.js';
export { TargetError } from './registry-rule.js';
export type { TokenSourceOptions, TokenTarget, CommandLineSettings, SourcedToken, TokenOrigin } from './token-source.js';
export { NOT_FOUND, runFast, getAnswer } from './helper-fast.js';
export type { HelperResult, FastLookup } from './helper-fast.js';
export { runSlowGet, HELPER_TIMEOUT_MS, timeoutFrom } from './helper-slow.js';
export { dockerConfigPath, writeTarget, removeFromTarget } from './targets.js';
export type { FileTarget, ToolName, WriteOutcome, WrittenRegistry, RemoveOutcome, WriteSettings } from './targets.js';
export { profileRegion } from './aws-profile-region.js';
