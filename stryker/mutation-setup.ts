// Loads every source module of the package under mutation before its tests run. Modules that the package
// imports lazily (fetch-pipeline.ts, classify-error.ts through it, request-handler.ts, …) would otherwise
// first load inside whichever test happens to need them, and Stryker would attribute their module-level code
// to that one test only, reporting survivors that other tests kill.
import { chmodSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain ES module without types
import { PACKAGES } from './packages.mjs';

const name = process.env['ECR_AUTH_MUTATION_PACKAGE'] ?? 'ecr-auth';
const { dir } = (PACKAGES as Record<string, { dir: string }>)[name] ?? { dir: 'packages/ecr-auth' };
const src = fileURLToPath(new URL(`../${dir}/src/`, import.meta.url));
for (const file of readdirSync(src)) {
  if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file.endsWith('.d.ts')) continue;
  try {
    await import(join(src, file));
  } catch (error) {
    // A module that cannot load (a static mutant that throws at load) leaves every test file unloadable, which the
    // Vitest runner takes for a complete run in which no test failed: a survivor. An uncaught error makes the run
    // an error instead (Stryker's RuntimeError, outside the score), which is what the mutant is.
    process.nextTick(() => {
      throw error;
    });
    throw error;
  }
}

// Stryker makes its sandbox folder private (0700); the auth-file tests that run as an unprivileged user
// (root CI) need to reach the sources in it, as they reach the working tree.
const sandbox = fileURLToPath(new URL('..', import.meta.url));
if (basename(sandbox).startsWith('sandbox-')) chmodSync(sandbox, 0o755);
