// The tarball check of check-packages.mjs on small made-up packages: a clean one passes (the positive case);
// each defect (an unreached file, a missing or altered LICENSE, a source map leaving the package or naming a
// file that is not there, a dangling sourceMappingURL, an import of a missing file) is reported by name.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface TarballFile {
  path: string;
  size: number;
}
interface TarballCheck {
  checkTarball(dir: string, files: TarballFile[]): { problems: string[]; summary: string };
}

const root = fileURLToPath(new URL('..', import.meta.url));
const { checkTarball } = (await import(pathToFileURL(join(root, 'scripts', 'tarball-check.mjs')).href)) as TarballCheck;

const MANIFEST = {
  name: 'made-up',
  version: '1.0.0',
  license: 'Apache-2.0',
  type: 'module',
  exports: { '.': { source: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
  bin: { 'made-up': './dist/bin.cjs' },
};

/** A clean package: every file reached from the entry points. */
const CLEAN: Record<string, string> = {
  'README.md': '# made-up\n',
  'dist/index.js': "export { a } from './a.js';\n//# sourceMappingURL=index.js.map\n",
  'dist/index.js.map': JSON.stringify({ version: 3, sources: ['../src/index.ts'], mappings: '' }),
  'dist/a.js': "export const a = () => import('./lazy.js');\nconst data = new URL('./data.json', import.meta.url);\n",
  'dist/lazy.js': 'export const lazy = 1;\n',
  'dist/data.json': '{}\n',
  'dist/index.d.ts': "export { a } from './a.js';\n//# sourceMappingURL=index.d.ts.map\n",
  'dist/index.d.ts.map': JSON.stringify({ version: 3, sources: ['../src/index.ts'], mappings: '' }),
  'dist/a.d.ts': 'export declare const a: () => Promise<unknown>;\n',
  // A bundle whose map embeds the text of a file that is not shipped: fine (sourcesContent).
  'dist/bin.cjs': "require('./a-chunk.cjs');\nconst main = require('node:path').join(__dirname, 'main.cjs');\n//# sourceMappingURL=bin.cjs.map\n",
  'dist/bin.cjs.map': JSON.stringify({ version: 3, sources: ['../src/bin.ts'], sourcesContent: ['console.log(1)'], mappings: '' }),
  'dist/a-chunk.cjs': 'module.exports = {};\n',
  // Minified: the URL's string is a template literal.
  'dist/main.cjs': 'module.exports=new URL(`./sdk.cjs`,require("url").pathToFileURL(__filename).href);\n',
  'dist/sdk.cjs': 'module.exports = {};\n',
  'src/index.ts': "export { a } from './a.js';\n",
  'src/a.ts': "export const a = () => import('./lazy.js');\n",
  'src/lazy.ts': 'export const lazy = 1;\n',
};

describe('scripts/tarball-check.mjs', () => {
  let work: string;
  let count = 0;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ecr-auth-tarball-check-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  /** Writes a package (CLEAN with `changes`; a null value removes a file) and checks it. */
  async function check(changes: Record<string, string | null> = {}, { license = true }: { license?: boolean } = {}) {
    const dir = join(work, `pkg-${count++}`);
    const contents: Record<string, string | null> = { 'package.json': JSON.stringify(MANIFEST), ...CLEAN, ...changes };
    const files: TarballFile[] = [];
    for (const [path, text] of Object.entries(contents)) {
      if (text === null) continue;
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
      files.push({ path, size: text.length });
    }
    if (license) {
      await copyFile(join(root, 'packages', 'ecr-auth', 'LICENSE'), join(dir, 'LICENSE'));
      files.push({ path: 'LICENSE', size: 11358 });
    }
    return checkTarball(dir, files).problems;
  }

  it('passes a package whose every file is reached, with its LICENSE and resolving maps', async () => {
    expect(await check()).toEqual([]);
  });

  it('reports a file nothing reaches, with the files negation that drops it', async () => {
    const problems = await check({ 'dist/unused.js': 'export {};\n', 'dist/unused.js.map': '{}' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('2 file(s) in the tarball that no entry point');
    expect(problems[0]).toContain('"!dist/unused.js*"');
  });

  it('follows a minified bundle\'s new URL(`…`) to the file it loads; without the reference that file is unreached', async () => {
    expect(await check({ 'dist/main.cjs': 'module.exports = {};\n' })).toEqual([expect.stringContaining('dist/sdk.cjs')]);
  });

  it('reports a missing LICENSE and a LICENSE that is not the project text', async () => {
    expect(await check({}, { license: false })).toEqual([expect.stringContaining('no LICENSE in the tarball')]);
    expect(await check({ LICENSE: 'MIT License\n' }, { license: false })).toEqual([expect.stringContaining("LICENSE is not the project's Apache-2.0 text")]);
  });

  it('reports source map sources outside the package, or neither shipped nor embedded', async () => {
    const outside = await check({ 'dist/index.js.map': JSON.stringify({ version: 3, sources: ['../../other/dist/x.js'], sourcesContent: ['x'], mappings: '' }) });
    expect(outside).toEqual([expect.stringContaining('resolves outside the installed package')]);
    const missing = await check({ 'dist/index.js.map': JSON.stringify({ version: 3, sources: ['../src/gone.ts'], mappings: '' }) });
    expect(missing).toEqual([expect.stringContaining('is not in the tarball and not embedded in sourcesContent')]);
  });

  it('reports a sourceMappingURL naming a map the tarball lacks, and an import of a missing file', async () => {
    expect(await check({ 'dist/bin.cjs.map': null })).toEqual([expect.stringContaining('its sourceMappingURL names bin.cjs.map, which the tarball lacks')]);
    const problems = await check({ 'dist/lazy.js': null });
    expect(problems).toEqual([expect.stringContaining('dist/a.js imports ./lazy.js, which the tarball lacks')]);
  });
});
