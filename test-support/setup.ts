// Shared by every test project (vitest.workspace.ts): records console output for the secret-leak scan,
// and fails each test file whose output contains a password handed out during it.
import { afterAll, beforeAll } from 'vitest';
import { assertNoLeaks, recordOutput, resetLedger } from './leaks.ts';
import { format } from 'node:util';

const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

beforeAll(() => {
  resetLedger();
  for (const method of methods) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      recordOutput(format(...args));
      original(...args);
    };
  }
  process.on('warning', (warning) => recordOutput(`${warning.name}: ${warning.message}`));
});

afterAll(() => {
  assertNoLeaks();
});

// The SDK's notice that its 2027 releases drop Node 20 would repeat in every test's output; the CLI tests
// (whose child processes get a clean environment) prove the CLI silences it by itself.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
