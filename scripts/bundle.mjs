#!/usr/bin/env node
// Bundles the entry points whose start-up cost users pay on every call, after `tsc -b` has built dist/.
// The TypeScript sources stay small modules; what Node loads is one file (plus lazily imported chunks):
// - `ecr-auth` (dist/bundle/index.js, the package's `import` target): one module instead of ~13 on import;
//   the fetch machinery stays a lazily imported chunk, loaded with the SDK on the first fetch.
// - `docker-credential-ecr-auth` (dist/bin/docker-credential-ecr-auth.cjs, the bin): Docker runs it on every
//   pull; CommonJS in one file starts ~15 ms sooner than an ES module graph. Its slow path
//   (`helper-slow.js`, the SDK) stays an ES module imported on a cache miss.
// - `ecr-auth` (dist/bin/ecr-auth.cjs, the bin): a launcher that runs dist/bin/ecr-auth-main.cjs (the command
//   and everything it loads but the SDK, in one CommonJS file) with V8's code cache; the SDK is in
//   dist/bin/ecr-auth-sdk.cjs, read (with its own code cache) only when a command first needs it.
// - `ecr-auth-credential-provider` (dist/bin/ecr-auth-credential-provider.cjs, the kubelet plugin): its start-up
//   path in one CommonJS file; its slow path (ecr-auth-credential-provider-slow.cjs, the SDK included) run with
//   V8's code cache on a miss.
// rolldown is Vite's bundler, already in the tree through Vitest. Figures: docs/benchmarks.md.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const packages = fileURLToPath(new URL('../packages/', import.meta.url));

/** A package's dependencies, as patterns matching each one and its subpaths. */
function dependenciesOf(name) {
  const { dependencies = {} } = JSON.parse(readFileSync(`${packages}${name}/package.json`, 'utf8'));
  return Object.keys(dependencies).map((dep) => new RegExp(`^${dep.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?:/|$)`));
}

// Chunks of an earlier build must not linger (and be published).
rmSync(`${packages}ecr-auth/dist/bundle`, { recursive: true, force: true });

/**
 * The code-cache loader (packages/cli/src/code-cache.ts) runs a bundle as a `vm.Script`, which has no loader for `import()`: the few
 * `import('node:http')` (and optional `import('kerberos')`) left in the SDK's ES modules become `require`s.
 */
function requireBuiltinsDynamically() {
  return {
    name: 'require-builtins-dynamically',
    renderChunk(code) {
      // Nor does it run as a script: its `#!` line (from the bin's source) goes too.
      return code.replace(/^#!.*\n/, '').replace(/\bimport\((["'`])((?:node:)?[\w/-]+)\1\)/g, (_, _quote, id) => `Promise.resolve().then(() => require(${JSON.stringify(id)}))`);
    },
  };
}

/**
 * The packages of the `ecr-auth` command's SDK bundle: what the command's own code imports from the SDK (and
 * the proxy agents, which load with it). The command's bundle answers each from the SDK bundle
 * (packages/cli/src/sdk-bundle.ts), so that a start that never reaches the SDK neither reads nor compiles it.
 */
const SDK_PACKAGES = ['@aws-sdk/client-ecr', '@aws-sdk/client-ecr-public', '@aws-sdk/credential-providers', 'agent-base', 'http-proxy-agent', 'https-proxy-agent'];
const SDK_BUNDLE_ENTRY = '\0ecr-auth-sdk-entry';

/** The SDK bundle's entry: `packages`, each SDK package's exports by name. */
function sdkBundleEntry() {
  return {
    name: 'sdk-bundle-entry',
    resolveId(id, importer) {
      if (id === SDK_BUNDLE_ENTRY) return id;
      // Each package as the package that depends on it finds it (pnpm installs no package at the root).
      if (importer === SDK_BUNDLE_ENTRY) return this.resolve(id, `${packages}${id === '@aws-sdk/credential-providers' ? 'cli' : 'ecr-auth'}/package.json`);
      return null;
    },
    load(id) {
      if (id !== SDK_BUNDLE_ENTRY) return null;
      const imports = SDK_PACKAGES.map((name, i) => `import * as p${i} from ${JSON.stringify(name)};`);
      return `${imports.join('\n')}\nexport const packages = { ${SDK_PACKAGES.map((name, i) => `${JSON.stringify(name)}: p${i}`).join(', ')} };\n`;
    },
  };
}

/**
 * The command's side of the split: an import of an SDK package from our own code becomes a lookup in the SDK
 * bundle (sdk-bundle.ts); an SDK package that is not in SDK_PACKAGES fails the build rather than being bundled
 * twice.
 */
function sdkFromSdkBundle() {
  const sdkLike = /^(@aws-sdk\/|@smithy\/|agent-base$|https?-proxy-agent$)/;
  return {
    name: 'sdk-from-sdk-bundle',
    resolveId(id, importer) {
      if (!sdkLike.test(id) || importer?.includes('/node_modules/')) return null;
      if (!SDK_PACKAGES.includes(id)) throw new Error(`${importer} imports ${id}, which is not in the SDK bundle: add it to SDK_PACKAGES in scripts/bundle.mjs`);
      return `\0sdk-bridge:${id}`;
    },
    load(id) {
      if (!id.startsWith('\0sdk-bridge:')) return null;
      const name = id.slice('\0sdk-bridge:'.length);
      return `module.exports = require(${JSON.stringify(`${packages}cli/dist/sdk-bundle.js`)}).sdkPackage(${JSON.stringify(name)});\n`;
    },
  };
}

/**
 * Node built-ins loaded when first used rather than when the bundle starts. A bundler hoists every external
 * `require` to the top of a one-file bundle, so a start that never opens a socket still compiled `tls`, `http`,
 * `https`, `net`, `crypto`, `child_process` and `fs/promises` (~10 ms on Node 20). Each becomes a proxy that
 * requires the module on its first property access; the bundler's interop wrapper (`__toESM(x, 1)`, which
 * would enumerate the module at once) is dropped for them, the proxy answering `default` with the module
 * itself, as the wrapper would. The few built-ins every start uses stay plain `require`s.
 */
function lazyBuiltins() {
  const EAGER = new Set(['fs', 'path', 'os', 'url', 'util', 'module', 'vm']);
  const helper =
    'function __lazyBuiltin(id){let m;const l=()=>(m??=require(id));' +
    'return new Proxy({},{get:(_,k)=>k==="default"?l():l()[k],has:(_,k)=>k==="default"||k in l(),' +
    'ownKeys:()=>Reflect.ownKeys(l()),getOwnPropertyDescriptor:(_,k)=>{const d=Reflect.getOwnPropertyDescriptor(l(),k);return d&&{...d,configurable:true}},' +
    'set:(_,k,v)=>(l()[k]=v,true)})}\n';
  return {
    name: 'lazy-builtins',
    renderChunk(code) {
      const lazy = [];
      let out = code.replace(/\b([\w$]+)\s*=\s*require\("node:([\w/_]+)"\)/g, (whole, name, id) => {
        if (EAGER.has(id)) return whole;
        lazy.push(name);
        return `${name}=__lazyBuiltin("node:${id}")`;
      });
      for (const name of lazy) out = out.replace(new RegExp(`(^|[;,\\s])${name.replace(/\$/g, '\\$')}\\s*=\\s*__toESM\\(${name.replace(/\$/g, '\\$')},\\s*1\\);?`, 'g'), '$1');
      return lazy.length === 0 ? null : helper + out;
    },
  };
}

/**
 * The output of a bundle the launcher runs with V8's code cache: one CommonJS file, minified. Class and
 * function names are kept: errors name themselves after their class (`new.target.name`).
 */
const MINIFIED_CJS = {
  format: 'cjs',
  codeSplitting: false,
  sourcemap: false,
  minify: { compress: { keepNames: { function: true, class: true } }, mangle: { keepNames: { function: true, class: true } } },
};

const targets = [
  {
    input: `${packages}ecr-auth/dist/index.js`,
    // Every dependency stays a dependency (its own package, deduplicated by the app's installer).
    external: [/^node:/, ...dependenciesOf('ecr-auth')],
    output: { dir: `${packages}ecr-auth/dist/bundle`, format: 'esm', sourcemap: true, chunkFileNames: '[name].js' },
  },
  {
    input: `${packages}cli/dist/bin/docker-credential-ecr-auth.js`,
    external: [/^node:/, /helper-slow\.js$/],
    // Only compile-cache.js runs for its effect; everything else it pulls in (ecr-auth's margins rule) is pure,
    // so keep just what the warm path calls.
    // ecr-auth from its per-module build, so that whole modules the warm path does not use drop out.
    treeshake: { moduleSideEffects: (id) => id.endsWith('compile-cache.js') },
    resolve: { alias: { 'ecr-auth': `${packages}ecr-auth/dist/index.js` } },
    // No source map: its sources would point into this repository, which an installed package does not have.
    output: { file: `${packages}cli/dist/bin/docker-credential-ecr-auth.cjs`, format: 'cjs', sourcemap: false },
  },
  {
    // The SDK packages the `ecr-auth` command uses, in one CommonJS file that the command's bundle (below) reads
    // with V8's code cache when it first needs the SDK. The SDK's ES modules (`module`) rather than its CommonJS
    // (`main`): only what the commands use is kept, and what is kept is initialised when first imported.
    // Minified: a smaller file to read and to cache. Both measured: -8 ms on a cold `get-login-password` on
    // Node 20 (docs/benchmarks.md, figure 7).
    input: SDK_BUNDLE_ENTRY,
    external: [/^node:/],
    resolve: { mainFields: ['module', 'main'] },
    plugins: [sdkBundleEntry(), requireBuiltinsDynamically(), lazyBuiltins()],
    output: { file: `${packages}cli/dist/bin/ecr-auth-sdk.cjs`, ...MINIFIED_CJS },
  },
  {
    // `ecr-auth`: the whole command but the SDK in one CommonJS file: a cold start loads one file (with V8's
    // code cache, see the launcher below) instead of resolving and compiling hundreds of modules. The library
    // itself stays unbundled, for its users' bundlers.
    input: `${packages}cli/dist/bin/ecr-auth.js`,
    transform: { define: { ECR_AUTH_SDK_FINGERPRINT: () => JSON.stringify(fingerprintOf(`${packages}cli/dist/bin/ecr-auth-sdk.cjs`)) } },
    external: [/^node:/],
    resolve: { alias: { 'ecr-auth': `${packages}ecr-auth/dist/index.js` }, mainFields: ['module', 'main'] },
    plugins: [sdkFromSdkBundle(), requireBuiltinsDynamically(), lazyBuiltins()],
    output: { file: `${packages}cli/dist/bin/ecr-auth-main.cjs`, ...MINIFIED_CJS },
  },
  {
    // The `ecr-auth` bin: a few lines that run ecr-auth-main.cjs with the code cache, whose file it names by
    // the bundle's content hash (computed here, so that no start hashes 600 kB).
    input: `${packages}cli/dist/bin/ecr-auth-launcher.js`,
    transform: { define: { ECR_AUTH_MAIN_FINGERPRINT: () => JSON.stringify(fingerprintOf(`${packages}cli/dist/bin/ecr-auth-main.cjs`)) } },
    external: [/^node:/, /ecr-auth-main\.cjs$/],
    resolve: { alias: { 'ecr-auth': `${packages}ecr-auth/dist/index.js` } },
    treeshake: { moduleSideEffects: false },
    output: { file: `${packages}cli/dist/bin/ecr-auth.cjs`, format: 'cjs', sourcemap: false },
  },
  {
    // The credential provider's slow path (`slow-path.js`: @ecr-auth/cli's TokenSource, ecr-auth, the SDK),
    // loaded on a cache miss with V8's code cache, built like ecr-auth-main.cjs.
    input: `${packages}kubernetes/dist/slow-path.js`,
    external: [/^node:/],
    resolve: { alias: { 'ecr-auth': `${packages}ecr-auth/dist/index.js` }, mainFields: ['module', 'main'] },
    plugins: [requireBuiltinsDynamically(), lazyBuiltins()],
    output: { file: `${packages}kubernetes/dist/bin/ecr-auth-credential-provider-slow.cjs`, ...MINIFIED_CJS },
  },
  {
    // `ecr-auth-credential-provider` (the kubelet runs it on every image whose credentials it has not cached):
    // the start-up path (request, registry rule, the CLI's cache modules) in one CommonJS file; the slow path
    // is the bundle above, named by its content hash for the code cache.
    input: `${packages}kubernetes/dist/bin/ecr-auth-credential-provider.js`,
    transform: { define: { ECR_AUTH_SLOW_FINGERPRINT: () => JSON.stringify(fingerprintOf(`${packages}kubernetes/dist/bin/ecr-auth-credential-provider-slow.cjs`)) } },
    external: [/^node:/],
    treeshake: { moduleSideEffects: false },
    resolve: { alias: { 'ecr-auth': `${packages}ecr-auth/dist/index.js` } },
    output: { file: `${packages}kubernetes/dist/bin/ecr-auth-credential-provider.cjs`, format: 'cjs', sourcemap: false },
  },
];

/** The first 16 hex digits of a file's SHA-256. */
function fingerprintOf(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
}

// In order: a target may read what an earlier one wrote (a `define` given as a function is computed here).
for (const { output, transform, ...options } of targets) {
  const define = transform?.define && Object.fromEntries(Object.entries(transform.define).map(([name, value]) => [name, typeof value === 'function' ? value() : value]));
  const bundle = await rolldown({ ...options, ...(define && { transform: { ...transform, define } }), platform: 'node', logLevel: 'warn' });
  await bundle.write(output);
  await bundle.close();
}
