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
export { main } from './main.js';
export type { CliIo, TextSink } from './main.js';
export { EXIT_CODES, exitCodeFor } from './exit-codes.js';
export { loadConfig, parseConfig, configPath, ConfigError } from './config-file.js';
export type { CliConfig, RegistrySettings } from './config-file.js';
export { cacheDir } from './token-cache.js';
export type { Env } from './token-cache.js';
export { TokenSource, resolveTarget, CooldownError } from './token-source.js';
export type { TokenSourceOptions, TokenTarget, CommandLineSettings, SourcedToken, TokenOrigin } from './token-source.js';
export { TargetError } from './registry-rule.js';
export { pullSecret } from './kubernetes-secret.js';
export type { PullSecret, PullSecretCredentials } from './kubernetes-secret.js';
