import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { projects } from './vitest.workspace.ts';

export default defineConfig({
  test: {
    projects,
    globalSetup: [fileURLToPath(new URL('test-support/global-build.ts', import.meta.url))],
    // The last line of a run that skipped tests for a missing tool names the tools and the install command
    // (test-support/tools.ts). The package scripts that pick reporters on the command line name it too.
    reporters: ['default', fileURLToPath(new URL('test-support/missing-tools-reporter.ts', import.meta.url))],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Fail the run on an unhandled rejection anywhere, never just warn.
    dangerouslyIgnoreUnhandledErrors: false,
    pool: 'forks',
  },
});
