// NO_PROXY's CIDR and port entries at their edges (prefixes that only look numeric, out-of-range prefixes, another
// address family, trailing junk after a port), blank proxy variables, and the printable form of a proxy with a path.
import { describe, expect, it } from 'vitest';
import { bypassesProxy, mayUseProxy, parseProxyUrl, proxyFor } from '../src/proxy-env.ts';

describe('NO_PROXY entries at their edges', () => {
  it.each<[string, string, number, boolean]>([
    ['127.0.0.0/16', '127.0.0.1', 80, true],
    ['127.0.0.0/8:80', '127.0.0.1', 80, true],
    ['127.0.0.0/8:81', '127.0.0.1', 80, false],
    // Prefixes that Number() would read but that are not plain digits.
    ['127.0.0.0/+8', '127.0.0.1', 80, false],
    ['127.0.0.0/0x8', '127.0.0.1', 80, false],
    // Out of range for the family, or not an address at all.
    ['127.0.0.0/33', '127.0.0.1', 80, false],
    ['localhost/8', '127.0.0.1', 80, false],
    ['10.0.0.0/8', '::1', 443, false],
    ['::/0', '127.0.0.1', 443, false],
    // A port must be digits to the end.
    ['example.com:80x', 'example.com', 80, false],
    ['example.com:80', 'example.com', 80, true],
  ])('NO_PROXY=%j, %s:%i -> bypass %s', (noProxy, host, port, expected) => {
    expect(bypassesProxy(host, port, noProxy)).toBe(expected);
  });
});

describe('proxy variables', () => {
  const https = new URL('https://api.ecr.us-east-1.amazonaws.com');

  it('skips a blank variable and trims a set one', () => {
    expect(proxyFor(https, {}, { https_proxy: '   ', HTTPS_PROXY: ' http://upper.example:1 ' })).toMatchObject({ display: 'http://upper.example:1', source: 'HTTPS_PROXY' });
    expect(proxyFor(https, {}, { HTTPS_PROXY: '  ', ALL_PROXY: 'http://all.example:3' })?.source).toBe('ALL_PROXY');
    expect(proxyFor(https, {}, { HTTPS_PROXY: '  ' })).toBeUndefined();
  });

  it('a proxy option may apply without any proxy variable', () => {
    expect(mayUseProxy({ proxy: 'http://opt.example:8' }, {})).toBe(true);
    expect(mayUseProxy({}, { HTTPS_PROXY: ' ' })).toBe(false);
  });

  it('prints a proxy with a path without its trailing slash', () => {
    expect(parseProxyUrl('http://proxy.example:3128/gateway/', 'HTTPS_PROXY').display).toBe('http://proxy.example:3128/gateway');
    expect(parseProxyUrl('https://proxy.example', 'HTTPS_PROXY').display).toBe('https://proxy.example');
  });
});
