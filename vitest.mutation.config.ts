// The Vitest configuration StrykerJS runs (stryker.config.mjs): one package's own tests, chosen by
// ECR_AUTH_MUTATION_PACKAGE, without the tests that only run child processes or built bundles (they cannot
// see a mutant in src/). Stryker runs it in a copy of the repository (its sandbox), so the package names the
// tests import are aliased to the sources of that copy rather than resolved through node_modules, whose
// links point back at the unmutated working tree.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
// @ts-expect-error: a plain ES module without types
import { PACKAGES } from './stryker/packages.mjs';

interface MutationPackage { dir: string; tests: string[]; exclude: string[] }
const name = process.env['ECR_AUTH_MUTATION_PACKAGE'] ?? 'ecr-auth';
const selected = (PACKAGES as Record<string, MutationPackage>)[name];
if (!selected) throw new Error(`ECR_AUTH_MUTATION_PACKAGE: no package ${name}`);
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const sources: Record<string, string> = {
  'ecr-auth': 'packages/ecr-auth/src/index.ts',
  '@ecr-auth/auth-file': 'packages/auth-file/src/index.ts',
  '@ecr-auth/docker-config': 'packages/docker-config/src/index.ts',
  '@ecr-auth/emulator': 'packages/emulator/src/index.ts',
  '@ecr-auth/cli': 'packages/cli/src/index.ts',
  '@ecr-auth/kubernetes': 'packages/kubernetes/src/index.ts',
};
const alias = Object.entries(sources).map(([find, path]) => ({ find: new RegExp(`^${find.replace('/', '\\/')}$`), replacement: here(path) }));

export default defineConfig({
  resolve: { alias, conditions: ['ecr-auth-source'] },
  ssr: { resolve: { conditions: ['ecr-auth-source'] } },
  test: {
    name,
    root: here(selected.dir),
    include: selected.tests,
    exclude: selected.exclude,
    setupFiles: [here('test-support/setup.ts'), here('stryker/mutation-setup.ts')],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
