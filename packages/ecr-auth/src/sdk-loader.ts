/**
 * Loads the AWS SDK clients on first use, with a literal `import()` that bundlers (esbuild, rolldown, webpack)
 * follow: they put the SDK into the lazily loaded chunk, so a bundled app works outside any `node_modules`.
 * Not found anywhere: a typed {@link SdkMissingError} naming the package, never an ECR error.
 *
 * Unbundled on Node, `import()` of the CommonJS clients costs about 20 ms more than `require` (Node scans
 * them for named exports), once per process on the first fetch. `createRequire(import.meta.url)` would save
 * it, but bundlers cannot follow it and CommonJS bundles have no `import.meta`; the CLI bundles its own cold
 * path instead.
 *
 * @module
 */
import type * as EcrSdk from '@aws-sdk/client-ecr';
import type * as EcrPublicSdk from '@aws-sdk/client-ecr-public';
import { SdkMissingError } from './errors.js';

/** `@aws-sdk/client-ecr`. */
export type EcrModule = typeof EcrSdk;
/** `@aws-sdk/client-ecr-public`. */
export type EcrPublicModule = typeof EcrPublicSdk;

/**
 * Whether the package itself is missing: Node quotes the package it cannot find ("Cannot find package '<name>'",
 * "Cannot find module '<name>'"); a missing dependency of the package names the package unquoted, in the path it
 * was imported from, and is not an SdkMissingError.
 */
function isNotFound(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && typeof message === 'string' && message.includes(`'${name}'`);
}

/**
 * Imports a package through `viaImport`: its exports, or a CommonJS module's `default`; {@link SdkMissingError} when
 * the package itself is not found (a missing dependency of it is rethrown as is).
 *
 * @internal Exported for its unit test only (sdk-loader.test.ts); not part of the package index.
 */
export async function load<T extends object>(name: string, exportName: keyof T, viaImport: () => Promise<T | { default: T }>): Promise<T> {
  let loaded: T | { default: T };
  try {
    loaded = await viaImport();
  } catch (error) {
    if (isNotFound(error, name)) throw new SdkMissingError(name, error);
    throw error;
  }
  // Some bundlers' ES module output hands a CommonJS module's exports over as `default` only.
  return exportName in loaded ? (loaded as T) : (loaded as { default: T }).default;
}

let ecr: Promise<EcrModule> | undefined;
let ecrPublic: Promise<EcrPublicModule> | undefined;

/**
 * `@aws-sdk/client-ecr`, loaded once.
 *
 * @returns the module.
 * @throws {@link SdkMissingError} when it is installed nowhere (and not bundled).
 */
export function loadEcrModule(): Promise<EcrModule> {
  // Stryker disable next-line StringLiteral: the name only shows when the package is missing (load() is tested with it); the CommonJS client's default export is its exports
  ecr ??= load<EcrModule>('@aws-sdk/client-ecr', 'ECRClient', () => import('@aws-sdk/client-ecr'));
  ecr.catch(() => (ecr = undefined));
  return ecr;
}

/**
 * `@aws-sdk/client-ecr-public`, loaded once.
 *
 * @returns the module.
 * @throws {@link SdkMissingError} when it is installed nowhere (and not bundled).
 */
export function loadEcrPublicModule(): Promise<EcrPublicModule> {
  // Stryker disable next-line StringLiteral: as in loadEcrModule
  ecrPublic ??= load<EcrPublicModule>('@aws-sdk/client-ecr-public', 'ECRPUBLICClient', () => import('@aws-sdk/client-ecr-public'));
  ecrPublic.catch(() => (ecrPublic = undefined));
  return ecrPublic;
}
