import { defineProject } from 'vitest/config';

/**
 * The test projects: one per package. Tests import sibling packages through the
 * `ecr-auth-source` export condition, so they run against `src/` without a build.
 */
const packages = ['ecr-auth', 'emulator', 'auth-file', 'docker-config', 'buildah', 'podman', 'cli'];

export const projects = packages.map((name) =>
  defineProject({
    extends: true,
    resolve: { conditions: ['ecr-auth-source'] },
    ssr: { resolve: { conditions: ['ecr-auth-source'] } },
    test: {
      name,
      root: `packages/${name}`,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      setupFiles: ['../../test-support/setup.ts'],
    },
  }),
);
