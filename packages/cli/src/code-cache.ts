/**
 * Runs a bundled CommonJS file with V8's code cache, so that a cold start does not compile the AWS SDK again,
 * as `v8-compile-cache` does: compile with `vm.Script` and its `cachedData`, and write the cache at exit when
 * there was none (or V8 refused it), so that it holds every function the run compiled. On every Node line:
 * Node 22's own `module.enableCompileCache` caches only what is compiled eagerly, and measured 15-20 ms slower
 * on this bundle (docs/benchmarks.md, figure 7). The cache lives in the token cache's private folder (`v8/`),
 * read only when the folder and file are ours, like every other file there.
 *
 * @module
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { ensureCacheDir, readPrivateFile } from './token-cache.js';

type CompiledWrapper = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;

/**
 * Loads `file` (CommonJS) with a code cache. Any failure of the cache itself falls back to a plain `require`.
 *
 * @param file - the bundled file.
 * @param cacheFolder - where the cache goes (the token cache folder); `undefined`: no cache.
 * @param fingerprint - the file's content hash, when the build knows it (the launcher's is written in at build
 *   time); otherwise a sample of the content is hashed at every start. It names the cache file: V8 itself
 *   checks only the source's length before it runs cached code.
 * @returns the file's `module.exports`.
 */
export function requireWithCodeCache(file: string, cacheFolder: string | undefined, fingerprint?: string): unknown {
  const require = createRequire(file);
  if (cacheFolder === undefined || process.env['NODE_DISABLE_COMPILE_CACHE']) return require(file);
  const text = readFileSync(file, 'utf8');
  // A `#!` line is valid at the top of a file, not inside the module wrapper.
  const source = text.startsWith('#!') ? text.replace(/^#!.*/, '') : text;
  const folder = join(cacheFolder, 'v8');
  const name = `${process.version}-${process.arch}-${source.length.toString(36)}-${fingerprint ?? hash(source)}.bin`;
  let cachedData: Buffer | undefined;
  let trusted = false;
  try {
    ensureCacheDir(folder);
    trusted = true;
    cachedData = readPrivateFile(folder, name);
  } catch {
    // A folder that is not ours: no cache, as for the tokens.
  }
  const script = new vm.Script(module.wrap(source), { filename: file, ...(cachedData && { cachedData }) });
  if (trusted && (cachedData === undefined || script.cachedDataRejected)) {
    // At exit, the cache holds every function the run compiled, not only the top level.
    process.once('exit', () => {
      try {
        const temp = join(folder, `.${name}.${process.pid}.tmp`);
        writeFileSync(temp, script.createCachedData(), { mode: 0o600, flag: 'wx' });
        renameSync(temp, join(folder, name));
      } catch {
        // The next run compiles again.
      }
    });
  }
  const wrapper = script.runInThisContext() as CompiledWrapper;
  const moduleRecord = { exports: {} };
  wrapper.call(moduleRecord.exports, moduleRecord.exports, require, moduleRecord, file, dirname(file));
  return moduleRecord.exports;
}

/** A short, stable fingerprint of the bundle (FNV-1a over a sample), to name its cache file. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  const step = Math.max(1, Math.floor(text.length / 65_536));
  for (let i = 0; i < text.length; i += step) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}
