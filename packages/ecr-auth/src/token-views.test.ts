// Exactly what an AuthorizationToken shows (JSON, String, inspect), what withRegistry carries over, and the
// defaults of its expiry checks (the current time, no margin).
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AuthorizationToken, type AuthorizationTokenInit } from './token.js';

const init: AuthorizationTokenInit = {
  username: 'AWS',
  password: 'token-views-secret',
  registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  proxyEndpoint: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  region: 'eu-west-1',
  accountId: '123456789012',
  kind: 'private',
  fetchedAt: new Date('2026-01-01T00:00:00Z'),
  expiresAt: new Date('2026-01-01T12:00:00Z'),
};
const json = {
  registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  username: 'AWS',
  password: '[redacted]',
  proxyEndpoint: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  region: 'eu-west-1',
  accountId: '123456789012',
  kind: 'private',
  fetchedAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-01-01T12:00:00.000Z',
};

describe('AuthorizationToken views', () => {
  it('JSON: every field, the password redacted', () => {
    expect(new AuthorizationToken(init).toJSON()).toStrictEqual(json);
  });

  it('String: user, registry and expiry on one line', () => {
    expect(String(new AuthorizationToken(init))).toBe('AuthorizationToken(AWS@123456789012.dkr.ecr.eu-west-1.amazonaws.com, expires 2026-01-01T12:00:00.000Z)');
  });

  it('inspect: the class name and the JSON view, with the inspect options passed on', () => {
    const token = new AuthorizationToken(init);
    expect(inspect(token, { breakLength: Infinity })).toBe(`AuthorizationToken ${inspect(json, { breakLength: Infinity })}`);
    // The options reach the nested inspect: colours on, the strings come out coloured.
    expect(inspect(token, { colors: true })).toContain('\u001b[32m');
    expect(inspect(token, { colors: false })).not.toContain('\u001b[');
  });

  it('keeps its own copies of the dates', () => {
    const fetchedAt = new Date(init.fetchedAt);
    const expiresAt = new Date(init.expiresAt);
    const token = new AuthorizationToken({ ...init, fetchedAt, expiresAt });
    expiresAt.setTime(0);
    fetchedAt.setTime(0);
    expect(token.expiresAt.toISOString()).toBe('2026-01-01T12:00:00.000Z');
    expect(token.fetchedAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(token.expiresAt).not.toBe(expiresAt);
  });

  it('withRegistry: the same credentials and times for another host, its own proxy endpoint', () => {
    const token = new AuthorizationToken(init);
    const other = token.withRegistry('210987654321.dkr.ecr.eu-west-1.amazonaws.com', '210987654321');
    expect(other.toJSON()).toStrictEqual({
      ...json,
      registry: '210987654321.dkr.ecr.eu-west-1.amazonaws.com',
      proxyEndpoint: 'https://210987654321.dkr.ecr.eu-west-1.amazonaws.com',
      accountId: '210987654321',
    });
    expect(other.revealBasicAuth()).toBe(token.revealBasicAuth());
    // Without an account id, the original's is kept.
    expect(token.withRegistry('ecr-proxy.example.com').accountId).toBe('123456789012');
    const publicToken = new AuthorizationToken({ ...init, kind: 'public', registry: 'public.ecr.aws', accountId: undefined });
    expect(publicToken.withRegistry('mirror.example.com').toJSON()).toMatchObject({ kind: 'public', accountId: undefined });
  });

  it('judges expiry against the current time, with no margin, by default', () => {
    const lifetime = (ms: number) => new AuthorizationToken({ ...init, fetchedAt: new Date(), expiresAt: new Date(Date.now() + ms) });
    expect(lifetime(-1_000).isExpired()).toBe(true);
    expect(lifetime(60_000).isExpired()).toBe(false);
    expect(lifetime(60_000).isExpired(undefined, 120_000)).toBe(true);
    expect(lifetime(60_000).remainingMs()).toBeGreaterThan(50_000);
    expect(lifetime(60_000).remainingMs()).toBeLessThanOrEqual(60_000);
    expect(lifetime(-1_000).remainingMs()).toBeLessThan(0);
  });
});
