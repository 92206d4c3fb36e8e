// Every error code the command can meet maps to the exit code its documentation names (docs/guides/troubleshooting.md).
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, exitCodeFor } from '../src/exit-codes.ts';

const TABLE: [code: string, exit: keyof typeof EXIT_CODES][] = [
  ['ECR_AUTH_USAGE', 'usage'],
  ['ECR_AUTH_INVALID_REGISTRY', 'usage'],
  ['ECR_AUTH_INVALID_OPTION', 'usage'],
  ['ECR_AUTH_INVALID_CONFIG', 'usage'],
  ['ERR_PARSE_ARGS_UNKNOWN_OPTION', 'usage'],
  ['ERR_PARSE_ARGS_INVALID_OPTION_VALUE', 'usage'],
  ['ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL', 'usage'],
  ['ECR_AUTH_NO_CREDENTIALS', 'credentials'],
  ['ECR_AUTH_INVALID_CREDENTIALS', 'credentials'],
  ['ECR_AUTH_ACCESS_DENIED', 'accessDenied'],
  ['ECR_AUTH_NETWORK', 'network'],
  ['ECR_AUTH_ABORTED', 'network'],
  ['ECR_AUTH_THROTTLED', 'service'],
  ['ECR_AUTH_COOLDOWN', 'service'],
  ['ECR_AUTH_SERVICE', 'service'],
  ['ECR_AUTH_TOKEN_EXPIRED', 'service'],
  ['ECR_AUTH_INVALID_TOKEN', 'service'],
  ['ECR_AUTH_FILE_INVALID', 'authFile'],
  ['ECR_AUTH_FILE_ACCESS', 'authFile'],
  ['ECR_AUTH_FILE_LOCK_TIMEOUT', 'authFile'],
  ['ECR_AUTH_ENTRY_SHADOWED', 'authFile'],
  ['ECR_AUTH_CREDENTIAL_HELPER_FAILED', 'authFile'],
  ['ECR_AUTH_TOOL_LOGIN_FAILED', 'authFile'],
];

describe('exitCodeFor', () => {
  it.each(TABLE)('%s exits %s', (code, exit) => {
    expect(exitCodeFor(Object.assign(new Error('x'), { code }))).toBe(EXIT_CODES[exit]);
  });

  it('anything else is an unexpected error (exit 1): unknown codes, codes of another case, no code, non-objects', () => {
    for (const thrown of [new Error('plain'), Object.assign(new Error('x'), { code: 'ECR_AUTH_SOMETHING_NEW' }), Object.assign(new Error('x'), { code: 'ecr_auth_usage' }), { code: 42 }, 'ECR_AUTH_USAGE', null, undefined]) {
      expect(exitCodeFor(thrown)).toBe(EXIT_CODES.error);
    }
  });

  it('the codes are the documented numbers', () => {
    expect(EXIT_CODES).toEqual({ ok: 0, error: 1, usage: 2, credentials: 3, accessDenied: 4, network: 5, service: 6, authFile: 7, interrupted: 130 });
  });
});
