import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AuthorizationToken } from './token.js';

const secret = 'correct-horse-battery-staple-0123456789';
const token = new AuthorizationToken({
  username: 'AWS',
  password: secret,
  registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
  proxyEndpoint: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com',
  region: 'us-east-1',
  accountId: '123456789012',
  kind: 'private',
  fetchedAt: new Date('2026-01-01T00:00:00Z'),
  expiresAt: new Date('2026-01-01T12:00:00Z'),
});
const basic = Buffer.from(`AWS:${secret}`).toString('base64');

describe('AuthorizationToken', () => {
  it('gives the password only through the explicit accessors', () => {
    expect(token.revealPassword()).toBe(secret);
    expect(token.revealBasicAuth()).toBe(basic);
  });

  it.each([
    ['JSON.stringify', () => JSON.stringify(token)],
    ['String()', () => String(token)],
    ['template literal', () => `${token}`],
    ['util.inspect', () => inspect(token, { depth: 10, showHidden: true })],
    ['inspect in an object', () => inspect({ nested: [token] }, { depth: 10 })],
    ['Object.keys/values', () => JSON.stringify(Object.entries(token))],
    ['structuredClone', () => JSON.stringify(structuredClone(token))],
  ])('keeps the password out of %s', (_how, render) => {
    const text = render();
    expect(text).not.toContain(secret);
    expect(text).not.toContain(basic);
    expect(text).toContain('123456789012.dkr.ecr.us-east-1.amazonaws.com');
  });

  it('shows the useful fields in inspect and JSON', () => {
    expect(inspect(token)).toContain("password: '[redacted]'");
    expect(JSON.parse(JSON.stringify(token))).toMatchObject({ username: 'AWS', region: 'us-east-1', expiresAt: '2026-01-01T12:00:00.000Z' });
  });

  it('is immutable', () => {
    expect(() => {
      (token as unknown as { registry: string }).registry = 'x';
    }).toThrow(TypeError);
  });

  it('addresses the same credentials to another registry', () => {
    const other = token.withRegistry('210987654321.dkr.ecr.us-east-1.amazonaws.com', '210987654321');
    expect(other.revealPassword()).toBe(secret);
    expect(other).toMatchObject({ registry: '210987654321.dkr.ecr.us-east-1.amazonaws.com', accountId: '210987654321', expiresAt: token.expiresAt });
  });

  it('judges expiry with a margin', () => {
    const expiry = token.expiresAt.getTime();
    expect(token.isExpired(expiry - 1000)).toBe(false);
    expect(token.isExpired(expiry - 1000, 1000)).toBe(true);
    expect(token.isExpired(expiry)).toBe(true);
    expect(token.remainingMs(expiry - 5)).toBe(5);
  });
});
