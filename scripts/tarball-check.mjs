// What a package's tarball must hold, checked on the file list `npm pack` publishes (used by check-packages.mjs):
// 1. LICENSE: the full Apache-2.0 text (the same bytes in every package; the sha256 below pins them).
// 2. Nothing unreachable: every file must be reached from an entry point (`exports` targets under every
//    condition, `main`, `types`, `bin`) by following relative imports (`import`/`export … from`, `import()`,
//    `require()`, `new URL('…', import.meta.url)`), `.d.ts` imports and `/// <reference path>`, TypeScript
//    sources imported as `./x.js`, `//# sourceMappingURL=` comments, and source maps' `sources`. package.json,
//    README and LICENSE are always allowed. A relative import of a file the tarball lacks is a problem too.
// 3. Source maps that resolve once installed: each `sources` entry (after `sourceRoot`) stays inside the package
//    and is in the tarball, or its text is embedded in `sourcesContent`. A `sourceMappingURL` must name a map
//    in the tarball (or be a data: URL).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';

/** sha256 of the Apache License 2.0 text every package ships as LICENSE (with its appendix, placeholders kept). */
export const LICENSE_SHA256 = 'c71d239df91726fc519c6eb72d318ec65820627232b2f796219e87dcf35d0ab4';

const ALWAYS = /^(package\.json|readme(\.md)?|license(\.md|\.txt)?|changelog(\.md)?)$/i;
const CODE = /\.(c|m)?js$/;
const DECLARATION = /\.d\.(c|m)?ts$/;
const TS_SOURCE = /(?<!\.d)\.(c|m)?tsx?$/;

/**
 * The files `npm pack` would publish for the package in `dir` (no scripts run).
 * @param {string} dir
 * @returns {{ name: string, version: string, files: { path: string, size: number }[], size: number, unpackedSize: number }}
 */
export function listTarball(dir) {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [result] = JSON.parse(out);
  return { name: result.name, version: result.version, files: result.files, size: result.size, unpackedSize: result.unpackedSize };
}

/** Every string leaf of an `exports` value, under every condition. */
function exportTargets(value, out = []) {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) exportTargets(item, out);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) exportTargets(item, out);
  return out;
}

/** Entry points of a manifest, as package-relative paths (no leading `./`). */
export function entryPoints(manifest) {
  const entries = [];
  if (manifest.exports !== undefined) entries.push(...exportTargets(manifest.exports));
  for (const field of ['main', 'module', 'types', 'typings']) if (typeof manifest[field] === 'string') entries.push(manifest[field]);
  if (typeof manifest.bin === 'string') entries.push(manifest.bin);
  else if (manifest.bin) entries.push(...Object.values(manifest.bin));
  return [...new Set(entries.filter((entry) => !entry.includes('*')).map((entry) => posix.normalize(entry)))];
}

/** Relative specifiers a JavaScript, declaration or TypeScript file refers to, with what kind of reference. */
function references(text) {
  const found = [];
  const patterns = [
    /\bfrom\s*['"]([^'"\n]+)['"]/g, // import … from, export … from (also in .d.ts)
    /\bimport\s*['"]([^'"\n]+)['"]/g, // side-effect import
    /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g, // dynamic import, and import('…') types in .d.ts
    /\brequire\(\s*['"]([^'"\n]+)['"]\s*\)/g,
    // new URL('./x', import.meta.url), also as bundled to CommonJS (…pathToFileURL(__filename).href)
    // (a minifier writes the string as a template literal)
    /\bnew URL\(\s*['"`]([^'"`\n$]+)['"`]\s*,[^;\n]*?(?:import\.meta\.url|__filename|__dirname)/g,
    /\/\/\/\s*<reference\s+path\s*=\s*['"]([^'"]+)['"]/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) if (/^\.\.?\//.test(match[1])) found.push({ kind: 'import', spec: match[1] });
  // path.join(__dirname, 'x') / path.resolve(__dirname, 'x'), also as `(0, node_path.join)(__dirname, "x")`
  for (const match of text.matchAll(/\b(?:join|resolve)\)?\(\s*__dirname\s*,\s*['"]([^'"\n]+)['"]\s*\)/g)) found.push({ kind: 'import', spec: match[1].startsWith('.') ? match[1] : `./${match[1]}` });
  const map = /^\/\/# sourceMappingURL=(\S+)\s*$/m.exec(text);
  if (map) found.push({ kind: 'map', spec: map[1] });
  return found;
}

/** Candidate files for `spec` imported from `from`, in the order a resolver for that kind of file tries them. */
function candidates(from, spec) {
  const target = posix.normalize(posix.join(posix.dirname(from), spec));
  if (DECLARATION.test(from)) {
    const stem = target.replace(/\.(c|m)?js$/, '');
    const ext = /\.cjs$/.test(target) ? '.d.cts' : /\.mjs$/.test(target) ? '.d.mts' : '.d.ts';
    return [`${stem}${ext}`, `${stem}.d.ts`, ...(CODE.test(target) ? [] : [target]), `${target}.d.ts`, `${target}/index.d.ts`];
  }
  if (TS_SOURCE.test(from)) {
    const stem = target.replace(/\.(c|m)?js$/, '');
    return [...(CODE.test(target) ? [] : [target]), `${stem}.ts`, `${stem}.mts`, `${stem}.cts`, `${stem}.tsx`, `${stem}.d.ts`, `${target}.ts`, `${target}/index.ts`];
  }
  return [target];
}

/**
 * Checks a package's tarball file list against the files in `dir`.
 * @param {string} dir - the package folder (as packed).
 * @param {{ path: string, size: number }[]} files - the tarball's files.
 * @returns {{ problems: string[], summary: string }}
 */
export function checkTarball(dir, files) {
  const problems = [];
  const inTarball = new Set(files.map((file) => file.path));
  const read = (path) => readFileSync(`${dir}/${path}`, 'utf8');
  const manifest = JSON.parse(read('package.json'));

  // 1. LICENSE
  if (!inTarball.has('LICENSE')) problems.push(`no LICENSE in the tarball (package.json says ${manifest.license}); add LICENSE and keep it in "files"`);
  else {
    const sha = createHash('sha256').update(read('LICENSE')).digest('hex');
    if (sha !== LICENSE_SHA256) problems.push(`LICENSE is not the project's Apache-2.0 text (sha256 ${sha}, expected ${LICENSE_SHA256}); copy packages/ecr-auth/LICENSE`);
  }
  if (manifest.license !== 'Apache-2.0') problems.push(`package.json "license" is ${JSON.stringify(manifest.license)}, not Apache-2.0 like LICENSE`);

  // 2 and 3. Walk from the entry points.
  const reached = new Set();
  const queue = [];
  const reach = (path, via) => {
    if (reached.has(path)) return;
    if (!inTarball.has(path)) {
      problems.push(`${via} refers to ${path}, which the tarball lacks`);
      return;
    }
    reached.add(path);
    queue.push(path);
  };
  for (const entry of entryPoints(manifest)) {
    if (entry === 'package.json') continue;
    reach(entry, `package.json (entry point ${entry})`);
  }
  while (queue.length > 0) {
    const path = queue.shift();
    if (path.endsWith('.map')) {
      let map;
      try {
        map = JSON.parse(read(path));
      } catch (error) {
        problems.push(`${path} is not valid JSON: ${error.message}`);
        continue;
      }
      (map.sources ?? []).forEach((source, index) => {
        const embedded = typeof map.sourcesContent?.[index] === 'string';
        if (/^[a-z][a-z0-9+.-]*:/i.test(source) || source.startsWith('/')) {
          problems.push(`${path}: source ${JSON.stringify(source)} is not a path relative to the map`);
          return;
        }
        const resolved = posix.normalize(posix.join(posix.dirname(path), map.sourceRoot ?? '', source));
        if (resolved.startsWith('../') || resolved === '..') {
          problems.push(`${path}: source ${JSON.stringify(source)} resolves outside the installed package (${resolved})`);
        } else if (inTarball.has(resolved)) {
          reach(resolved, path);
        } else if (!embedded) {
          problems.push(`${path}: source ${JSON.stringify(source)} (${resolved}) is not in the tarball and not embedded in sourcesContent`);
        }
      });
      continue;
    }
    if (!(CODE.test(path) || DECLARATION.test(path) || TS_SOURCE.test(path))) continue;
    for (const { kind, spec } of references(read(path))) {
      if (kind === 'map') {
        if (spec.startsWith('data:')) continue;
        const target = posix.normalize(posix.join(posix.dirname(path), spec));
        if (!inTarball.has(target)) problems.push(`${path}: its sourceMappingURL names ${spec}, which the tarball lacks`);
        else reach(target, path);
        continue;
      }
      const found = candidates(path, spec).find((candidate) => inTarball.has(candidate));
      if (found) reach(found, path);
      else problems.push(`${path} imports ${spec}, which the tarball lacks`);
    }
  }

  const unreached = files.map((file) => file.path).filter((path) => !reached.has(path) && !ALWAYS.test(path));
  if (unreached.length > 0) {
    // One negation per module: `!dist/x.d.ts*` covers the declaration and its map, `!dist/x.js*` the code and its map.
    const suggestions = [...new Set(unreached.map((path) => `"!${path.replace(/(\.d\.(c|m)?ts|\.(c|m)?js)\.map$/, '$1').replace(/(\.d\.(c|m)?ts|\.(c|m)?js)$/, '$1*')}"`))];
    problems.push(
      `${unreached.length} file(s) in the tarball that no entry point, import, .d.ts reference or source map reaches: ${unreached.join(', ')}\n` +
        `    drop them from "files" in package.json, e.g. add: ${suggestions.join(', ')} (or, if something should reach them, check the entry points and imports)`,
    );
  }
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  return { problems: [...new Set(problems)], summary: `${files.length} files, ${bytes} bytes unpacked, all reached, LICENSE ok, source maps resolve` };
}
