// The leak scan (test-support/leaks.ts + setup.ts) guards every test file; this proves it can fail.
import { afterEach, describe, expect, it } from 'vitest';
import { assertNoLeaks, recordError, registerSecrets, resetLedger } from '../../../test-support/leaks.ts';

const secret = 'leak-scan-negative-control-secret-value-0123456789';

afterEach(() => resetLedger());

describe('the secret-leak scan', () => {
  it('catches a password printed with console.log', () => {
    registerSecrets(() => [secret]);
    console.log(`oops: ${secret.slice(4, 30)}…`);
    expect(() => assertNoLeaks()).toThrow(/secret leak/);
  });

  it('catches a password inside a thrown error’s cause', () => {
    registerSecrets(() => [secret]);
    recordError(new Error('outer', { cause: new Error(`inner ${secret}`) }));
    expect(() => assertNoLeaks()).toThrow(/secret leak/);
  });

  it('catches the base64 form docker stores', () => {
    registerSecrets(() => [secret]);
    console.error(Buffer.from(`AWS:${secret}`).toString('base64'));
    expect(() => assertNoLeaks()).toThrow(/secret leak/);
  });

  it('passes clean output', () => {
    registerSecrets(() => [secret]);
    console.log('token for 123456789012.dkr.ecr.us-east-1.amazonaws.com, password [redacted]');
    expect(() => assertNoLeaks()).not.toThrow();
  });
});
