// NO_PROXY and *_PROXY as curl and the AWS CLI read them, as data.
import { describe, expect, it } from 'vitest';
import { bypassesProxy, mayUseProxy, parseProxyUrl, proxyFor } from '../src/proxy-env.ts';

describe('bypassesProxy (NO_PROXY)', () => {
  it.each<[string, string, number, boolean]>([
    // [NO_PROXY, host, port, bypass?]
    ['', 'api.ecr.us-east-1.amazonaws.com', 443, false],
    ['*', 'api.ecr.us-east-1.amazonaws.com', 443, true],
    ['amazonaws.com', 'api.ecr.us-east-1.amazonaws.com', 443, true],
    ['amazonaws.com', 'amazonaws.com', 443, true],
    ['.amazonaws.com', 'api.ecr.us-east-1.amazonaws.com', 443, true],
    ['.amazonaws.com', 'amazonaws.com', 443, true],
    ['*.amazonaws.com', 'api.ecr.us-east-1.amazonaws.com', 443, true],
    ['amazonaws.com', 'notamazonaws.com', 443, false],
    ['amazonaws.com', 'amazonaws.com.evil.example', 443, false],
    ['AmazonAWS.com', 'API.ECR.us-east-1.amazonaws.com.', 443, true],
    ['example.com, amazonaws.com', 'api.ecr.us-east-1.amazonaws.com', 443, true],
    ['example.com amazonaws.com', 'api.ecr.us-east-1.amazonaws.com', 443, true],
    ['example.com,,', 'api.ecr.us-east-1.amazonaws.com', 443, false],
    ['amazonaws.com:443', 'api.ecr.us-east-1.amazonaws.com', 443, true],
    ['amazonaws.com:8443', 'api.ecr.us-east-1.amazonaws.com', 443, false],
    ['127.0.0.1', '127.0.0.1', 8080, true],
    ['127.0.0.1:8080', '127.0.0.1', 8080, true],
    ['127.0.0.1:8081', '127.0.0.1', 8080, false],
    ['127.0.0.0/8', '127.0.0.1', 80, true],
    ['10.0.0.0/8', '127.0.0.1', 80, false],
    ['0.0.1', '127.0.0.1', 80, false],
    ['::1', '::1', 443, true],
    ['[::1]:443', '[::1]', 443, true],
    ['[::1]:444', '::1', 443, false],
    ['fd00::/8', 'fd00::5', 443, true],
    ['localhost', 'localhost', 80, true],
  ])('NO_PROXY=%j, %s:%i -> bypass %s', (noProxy, host, port, expected) => {
    expect(bypassesProxy(host, port, noProxy)).toBe(expected);
  });
});

describe('proxyFor', () => {
  const https = new URL('https://api.ecr.us-east-1.amazonaws.com');
  const http = new URL('http://127.0.0.1:4566');

  it('HTTPS_PROXY for https, HTTP_PROXY for http, ALL_PROXY for either; lower case first', () => {
    const env = { HTTPS_PROXY: 'http://s.example:1', HTTP_PROXY: 'http://p.example:2' };
    expect(proxyFor(https, {}, env)?.display).toBe('http://s.example:1');
    expect(proxyFor(http, {}, env)?.display).toBe('http://p.example:2');
    expect(proxyFor(https, {}, { ALL_PROXY: 'http://a.example:3' })?.source).toBe('ALL_PROXY');
    expect(proxyFor(https, {}, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' })?.source).toBe('https_proxy');
    expect(proxyFor(https, {}, { HTTP_PROXY: 'http://p.example:2' })).toBeUndefined();
    expect(proxyFor(https, {}, { HTTPS_PROXY: '' })).toBeUndefined();
  });

  it('a value without a scheme is http://; user information is kept for the proxy but never displayed', () => {
    const choice = proxyFor(https, {}, { HTTPS_PROXY: 'user:secret@proxy.example:3128' });
    expect(choice?.url.href).toBe('http://user:secret@proxy.example:3128/');
    expect(choice?.display).toBe('http://proxy.example:3128');
  });

  it('the option: a URL used for every request (NO_PROXY still applies), or false for none', () => {
    expect(proxyFor(https, { proxy: 'http://opt.example:8' }, { HTTPS_PROXY: 'http://env.example:1' })?.source).toBe('the proxy option');
    expect(proxyFor(https, { proxy: 'http://opt.example:8' }, { NO_PROXY: '.amazonaws.com' })).toBeUndefined();
    expect(proxyFor(https, { proxy: false }, { HTTPS_PROXY: 'http://env.example:1' })).toBeUndefined();
    expect(mayUseProxy({ proxy: false }, { HTTPS_PROXY: 'http://env.example:1' })).toBe(false);
    expect(mayUseProxy({}, { all_proxy: 'http://env.example:1' })).toBe(true);
    expect(mayUseProxy({}, {})).toBe(false);
  });

  it('refuses socks and garbage without printing credentials', () => {
    expect(() => parseProxyUrl('socks5h://u:hidden@proxy:1080', 'ALL_PROXY')).toThrow(/ALL_PROXY names a socks5h proxy \(socks5h:\/\/proxy:1080\)/);
    expect(() => parseProxyUrl('http://u:hidden@[bad', 'HTTPS_PROXY')).toThrow(/HTTPS_PROXY is not a valid proxy URL/);
    for (const value of ['socks5h://u:hidden@proxy:1080', 'http://u:hidden@[bad']) {
      try {
        parseProxyUrl(value, 'X');
      } catch (error) {
        expect(String(error)).not.toContain('hidden');
      }
    }
  });
});
