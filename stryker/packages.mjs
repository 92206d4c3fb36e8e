// The packages `pnpm test:mutation` mutates, each against its own tests only (see docs/quality.md).
// `mutate`: the files Stryker changes; `tests`: the test files that may kill them (vitest.mutation.config.ts
// runs these and nothing else). Tests that only run a child process or a built bundle cannot see a mutant
// in src/, so they are left out rather than counted: `exclude`. `break`: the score under which
// `pnpm test:mutation --ci` fails (set at the measured score, rounded down; raise it as tests land).
export const PACKAGES = {
  'ecr-auth': {
    dir: 'packages/ecr-auth',
    mutate: ['src/**/*.ts', '!src/**/*.test.ts', '!src/index.ts'],
    tests: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // import-cost and network-import-cost load dist/bundle in child processes.
    exclude: ['test/import-cost.test.ts', 'test/network-import-cost.test.ts'],
    break: 97,
  },
  'auth-file': {
    dir: 'packages/auth-file',
    mutate: ['src/**/*.ts', '!src/index.ts'],
    tests: ['test/**/*.test.ts'],
    // fault-injection runs every write in a child process (signals, unshare, full disks); many-writers runs 50.
    exclude: ['test/fault-injection.test.ts', 'test/many-writers.test.ts'],
    break: 99,
  },
  'docker-config': {
    dir: 'packages/docker-config',
    mutate: ['src/**/*.ts', '!src/index.ts'],
    tests: ['test/**/*.test.ts'],
    // the real docker/podman/skopeo tools read what the package wrote, in child processes.
    exclude: ['test/real-tools.e2e.test.ts'],
    break: 100,
  },
  cli: {
    dir: 'packages/cli',
    mutate: ['src/token-cache.ts', 'src/registry-rule.ts', 'src/helper-fast.ts', 'src/helper-slow.ts', 'src/token-source.ts'],
    // helper-trust calls runFast in-process beside its child-process cases; helper-fast, helper-slow,
    // registry-rule, token-cache-edges and token-source are the in-process tests written for mutation testing
    // (issue 13).
    tests: ['src/token-cache.test.ts', 'test/helper-trust.test.ts', 'test/registry-rule.test.ts', 'test/token-cache-edges.test.ts', 'test/helper-fast.test.ts', 'test/helper-slow.test.ts', 'test/token-source.test.ts'],
    exclude: [],
    // 98 before token-source.ts (93 %: mostly equivalent or timing-only survivors) joined the run; measured 96.4 %,
    // then 97.4 % once the custom-name and deadline fixes were tested and the undefined-option spreads marked equivalent.
    break: 97,
  },
  kubernetes: {
    dir: 'packages/kubernetes',
    mutate: ['src/**/*.ts', '!src/index.ts', '!src/bin/**'],
    tests: ['test/**/*.test.ts'],
    // protocol and provider run the built credential-provider executable (dist/bin) as kubelet does;
    // match-images reads the sample config from examples/, which the sandbox does not copy (it failed to load
    // there, silently: match-images-rule.test.ts covers the glob rule without it).
    exclude: ['test/protocol.test.ts', 'test/provider.test.ts', 'test/match-images.test.ts'],
    break: 95,
  },
};
