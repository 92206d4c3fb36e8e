// decodeAuthorizationToken's edges: the exact length limit (a token of MAX_TOKEN_LENGTH is still decoded) and
// the message for a value that is not a string at all; what encodeAuthorizationToken refuses.
import { describe, expect, it } from 'vitest';
import { decodeAuthorizationToken, encodeAuthorizationToken, MAX_TOKEN_LENGTH } from './decode.js';
import { TokenDecodeError } from './errors.js';

describe('decodeAuthorizationToken limits', () => {
  it('decodes a token of exactly the limit, and refuses one a block longer', () => {
    // base64 of 3n bytes is 4n characters: 'AWS:' and a password filling MAX_TOKEN_LENGTH characters.
    const password = 'p'.repeat((MAX_TOKEN_LENGTH / 4) * 3 - 4);
    const atLimit = Buffer.from(`AWS:${password}`).toString('base64');
    expect(atLimit).toHaveLength(MAX_TOKEN_LENGTH);
    expect(decodeAuthorizationToken(atLimit)).toEqual({ username: 'AWS', password });
    const over = Buffer.from(`AWS:${password}ppp`).toString('base64');
    expect(() => decodeAuthorizationToken(over)).toThrow(
      new TokenDecodeError(`the authorization token is ${MAX_TOKEN_LENGTH + 4} characters long, over the limit of ${MAX_TOKEN_LENGTH}`),
    );
  });

  it('refuses characters outside base64, and padding anywhere but the end, as not padded base64', () => {
    const notBase64 = new TokenDecodeError('the authorization token is not padded base64 (characters A-Z a-z 0-9 + / and = padding)');
    for (const token of ['!AAA', 'QV=T', 'QVdT\nOnA=', 'QVdTOnA=!!!!']) expect(() => decodeAuthorizationToken(token), token).toThrow(notBase64);
  });

  it('says what it got instead of a string', () => {
    expect(() => decodeAuthorizationToken(42 as unknown as string)).toThrow(new TokenDecodeError('the authorization token must be a string, got number'));
    expect(() => decodeAuthorizationToken(undefined as unknown as string)).toThrow(new TokenDecodeError('the authorization token must be a string, got undefined'));
  });
});

describe('encodeAuthorizationToken', () => {
  it('encodes user:password as UTF-8 base64, and decodes back', () => {
    expect(encodeAuthorizationToken({ username: 'AWS', password: 'sécret:with:colons' })).toBe(Buffer.from('AWS:sécret:with:colons', 'utf8').toString('base64'));
    expect(decodeAuthorizationToken(encodeAuthorizationToken({ username: 'AWS', password: 'sécret' }))).toEqual({ username: 'AWS', password: 'sécret' });
  });

  it('refuses an empty part or a colon in the user name, saying which', () => {
    const empty = new TokenDecodeError('user name and password must both be non-empty');
    expect(() => encodeAuthorizationToken({ username: '', password: 'p' })).toThrow(empty);
    expect(() => encodeAuthorizationToken({ username: 'AWS', password: '' })).toThrow(empty);
    expect(() => encodeAuthorizationToken({ username: 'A:WS', password: 'p' })).toThrow(new TokenDecodeError('the user name must not contain ":"'));
  });
});
