import type { TestProjectInlineConfiguration } from 'vitest/config';

/**
 * The test projects: one per package, each inheriting the root config (`extends: true`). Tests import
 * sibling packages through the `ecr-auth-source` export condition, so they run against `src/`.
 */
const packages = ['ecr-auth', 'emulator', 'auth-file', 'docker-config', 'buildah', 'podman', 'cli', 'kubernetes'];

export const projects: TestProjectInlineConfiguration[] = packages.map((name) => ({
  extends: true,
  resolve: { conditions: ['ecr-auth-source'] },
  ssr: { resolve: { conditions: ['ecr-auth-source'] } },
  test: {
    name,
    root: `packages/${name}`,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['../../test-support/setup.ts'],
  },
}));

/** Tests of the runnable examples, run from the repository root. */
projects.push({
  extends: true,
  test: { name: 'examples', root: 'examples', include: ['**/*.test.ts'], setupFiles: ['../test-support/setup.ts'] },
});

/** A short run of the benchmark suite (scripts/bench.mjs --smoke): counts only, no timing assertion. */
projects.push({
  extends: true,
  test: { name: 'bench', root: 'bench', include: ['**/*.test.ts'], setupFiles: ['../test-support/setup.ts'] },
});

/** Tests of the repository's own scripts (API report, …). */
projects.push({
  extends: true,
  test: { name: 'scripts', root: 'scripts', include: ['**/*.test.ts'], setupFiles: ['../test-support/setup.ts'] },
});

/** The documentation: every code block of the READMEs and docs/ checked (docs/doc-blocks.test.ts), the API tags. */
projects.push({
  extends: true,
  test: { name: 'docs', root: 'docs', include: ['*.test.ts'], setupFiles: ['../test-support/setup.ts'] },
});
