/**
 * The `ecr-auth` command's bridge to its SDK bundle (`dist/bin/ecr-auth-sdk.cjs`, built by scripts/bundle.mjs):
 * the command's own bundle holds no AWS SDK code; each SDK package it imports is answered from the SDK bundle,
 * which is read (with V8's code cache) only when a command first needs the SDK. A start that never reaches
 * the SDK (a cached token, a signed request of our own, `--help`) neither reads nor compiles it.
 *
 * @module
 */
import { fileURLToPath } from 'node:url';
import { requireWithCodeCache } from './code-cache.js';
import { cacheDir, cacheDisabled } from './token-cache.js';

// The build (scripts/bundle.mjs) writes the SDK bundle's content hash in here, to name its code cache.
declare const ECR_AUTH_SDK_FINGERPRINT: string | undefined;

let packages: Record<string, unknown> | undefined;

/**
 * One package of the SDK bundle (its exports), loading the bundle on first use.
 *
 * @param name - the package, such as `@aws-sdk/client-ecr`.
 * @returns its exports.
 */
export function sdkPackage(name: string): unknown {
  if (packages === undefined) {
    const file = fileURLToPath(new URL('./ecr-auth-sdk.cjs', import.meta.url));
    const fingerprint = typeof ECR_AUTH_SDK_FINGERPRINT === 'string' ? ECR_AUTH_SDK_FINGERPRINT : undefined;
    const loaded = requireWithCodeCache(file, cacheDisabled(process.env) ? undefined : cacheDir(process.env), fingerprint) as { packages: Record<string, unknown> };
    packages = loaded.packages;
  }
  if (!(name in packages)) throw new Error(`ecr-auth: the SDK bundle holds no ${name} (a build error: see scripts/bundle.mjs)`);
  return packages[name];
}
