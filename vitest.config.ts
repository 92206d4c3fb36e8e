import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { projects } from './vitest.workspace.ts';

export default defineConfig({
  test: {
    projects,
    globalSetup: [fileURLToPath(new URL('test-support/global-build.ts', import.meta.url))],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Fail the run on an unhandled rejection anywhere, never just warn.
    dangerouslyIgnoreUnhandledErrors: false,
    pool: 'forks',
  },
});
