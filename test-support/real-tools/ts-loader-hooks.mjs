// Module hooks that let a plain `node` child process run this repository's TypeScript sources (Node 20 cannot
// strip types). `.ts` files are transpiled with the repository's `typescript` (types dropped, no checking);
// a `./x.js` import that does not exist is retried as `./x.ts`, as TypeScript's nodenext resolution does.
// With ECR_AUTH_TS_CACHE set, output is cached there so that many children do not each load the compiler.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

let ts;

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:');
    if (relative && specifier.endsWith('.js')) return next(`${specifier.slice(0, -3)}.ts`, context);
    throw error;
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const cacheDir = process.env.ECR_AUTH_TS_CACHE;
  const cacheFile = cacheDir ? join(cacheDir, `${createHash('sha256').update(url).update('\0').update(source).digest('hex')}.mjs`) : undefined;
  if (cacheFile) {
    try {
      return { format: 'module', source: await readFile(cacheFile, 'utf8'), shortCircuit: true };
    } catch {
      // Not cached yet.
    }
  }
  ts ??= (await import('typescript')).default;
  const output = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false, inlineSourceMap: true },
  }).outputText;
  if (cacheFile) {
    const temporary = `${cacheFile}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(cacheDir, { recursive: true });
      await writeFile(temporary, output);
      await rename(temporary, cacheFile);
    } catch {
      // A cache we cannot write (another user's) only costs time.
    }
  }
  return { format: 'module', source: output, shortCircuit: true };
}
