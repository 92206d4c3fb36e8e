import { AuthorizationToken } from 'ecr-auth';
import { describe, expect, it } from 'vitest';
import { renewalDelay } from './watch.js';

const HOUR = 3_600_000;

/** A 12-hour token fetched at `fetchedAt` on the server's clock. */
function token(fetchedAt: number): AuthorizationToken {
  return new AuthorizationToken({
    username: 'AWS',
    password: 'watch-unit-password',
    registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
    proxyEndpoint: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com',
    region: 'us-east-1',
    accountId: '123456789012',
    kind: 'private',
    fetchedAt: new Date(fetchedAt),
    expiresAt: new Date(fetchedAt + 12 * HOUR),
  });
}

describe('renewalDelay', () => {
  const noJitter = () => 0;

  it('renews 30 minutes before expiry, on the server\'s clock', () => {
    const now = Date.now();
    expect(renewalDelay([{ token: token(now), clockOffsetMs: 0 }], now, noJitter)).toBe(11.5 * HOUR);
    // The server is an hour ahead: its token was fetched at server time now + 1 h and is due 1 h sooner locally
    // than the local clock alone would say.
    const ahead = token(now + HOUR);
    expect(renewalDelay([{ token: ahead, clockOffsetMs: HOUR }], now, noJitter)).toBe(11.5 * HOUR);
    // Negative control: judged on the local clock, the same token would be renewed an hour late.
    expect(renewalDelay([{ token: ahead, clockOffsetMs: 0 }], now, noJitter)).toBe(12.5 * HOUR);
  });

  it('takes the earliest of several tokens, jitters within the first quarter of the window, never negative', () => {
    const now = Date.now();
    const early = { token: token(now - 6 * HOUR), clockOffsetMs: 0 };
    const late = { token: token(now), clockOffsetMs: 0 };
    expect(renewalDelay([late, early], now, noJitter)).toBe(5.5 * HOUR);
    expect(renewalDelay([early], now, () => 0.999)).toBeLessThan(5.5 * HOUR + 0.25 * 25 * 60_000);
    expect(renewalDelay([{ token: token(now - 13 * HOUR), clockOffsetMs: 0 }], now, noJitter)).toBe(0);
  });
});
