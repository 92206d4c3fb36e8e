import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAuthorizationToken, encodeAuthorizationToken, MAX_TOKEN_LENGTH } from './decode.js';
import { EcrAuthError, TokenDecodeError } from './errors.js';

// eslint-disable-next-line no-control-regex
const username = fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }).filter((s) => !s.includes(':') && !/[\u0000-\u001f\u007f]/.test(s));
// eslint-disable-next-line no-control-regex
const password = fc.string({ minLength: 1, maxLength: 3000, unit: 'grapheme' }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s));

describe('decodeAuthorizationToken', () => {
  it('decodes a real-shaped token and splits at the first colon', () => {
    const token = Buffer.from('AWS:pa:ss:word').toString('base64');
    expect(decodeAuthorizationToken(token)).toEqual({ username: 'AWS', password: 'pa:ss:word' });
  });

  it('accepts tokens longer than 2048 characters', () => {
    const long = 'x'.repeat(5000);
    const token = Buffer.from(`AWS:${long}`).toString('base64');
    expect(token.length).toBeGreaterThan(2048);
    expect(decodeAuthorizationToken(token).password).toBe(long);
  });

  it('round-trips every valid user name and password (property)', () => {
    fc.assert(
      fc.property(username, password, (user, pass) => {
        const decoded = decodeAuthorizationToken(encodeAuthorizationToken({ username: user, password: pass }));
        expect(decoded).toEqual({ username: user, password: pass });
      }),
      { numRuns: 500 },
    );
  });

  it('only ever throws TokenDecodeError on arbitrary input, and never echoes it (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.base64String({ maxLength: 200 })), (input) => {
        try {
          const decoded = decodeAuthorizationToken(input);
          // Anything accepted must re-encode to the very same input.
          expect(encodeAuthorizationToken(decoded)).toBe(input);
        } catch (error) {
          expect(error).toBeInstanceOf(TokenDecodeError);
          expect((error as TokenDecodeError).code).toBe('ECR_AUTH_INVALID_TOKEN');
          if (input.length >= 8) expect((error as Error).message).not.toContain(input);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['empty', '', /empty/],
    ['not base64', 'not*base64!', /not padded base64/],
    ['unpadded', 'QVdTOnA', /not padded base64/],
    ['no colon', Buffer.from('AWSpassword').toString('base64'), /no ":"/],
    ['empty user', Buffer.from(':password').toString('base64'), /empty user name/],
    ['empty password', Buffer.from('AWS:').toString('base64'), /empty password/],
    ['control characters', Buffer.from('AWS:pass\nword').toString('base64'), /control characters/],
    ['not UTF-8', Buffer.from([0x41, 0x3a, 0xff, 0xfe]).toString('base64'), /UTF-8/],
    ['non-canonical padding bits', 'QVdTOnB=', /canonical/],
    ['absurd length', 'A'.repeat(MAX_TOKEN_LENGTH + 4), /over the limit/],
  ])('rejects %s with a typed error that hides the secret', (_name, input, message) => {
    let thrown: unknown;
    try {
      decodeAuthorizationToken(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TokenDecodeError);
    expect(thrown).toBeInstanceOf(EcrAuthError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).toMatch(/^ecr-auth: /);
    if (input.length > 4) expect((thrown as Error).message).not.toContain(input.slice(0, 12));
  });

  it('rejects a non-string with a typed error', () => {
    expect(() => decodeAuthorizationToken(42 as unknown as string)).toThrow(TokenDecodeError);
  });
});

describe('encodeAuthorizationToken', () => {
  it('refuses a colon in the user name and empty parts', () => {
    expect(() => encodeAuthorizationToken({ username: 'A:B', password: 'x' })).toThrow(TokenDecodeError);
    expect(() => encodeAuthorizationToken({ username: 'AWS', password: '' })).toThrow(TokenDecodeError);
  });
});
