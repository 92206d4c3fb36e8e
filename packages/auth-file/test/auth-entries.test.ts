import { describe, expect, it } from 'vitest';
import { findConfiguredHelper, hostOfKey, isSchemeTwin, removeAuthEntries, scopedKey, setAuthEntries, assertRegistryHost, isHostTwin, registryHostOf } from '@ecr-auth/auth-file';

describe('keys', () => {
  it('reduces keys to hosts as the tools do', () => {
    expect(hostOfKey('https://h.example:5000/v1/')).toBe('h.example:5000');
    expect(hostOfKey('h.example/ns/repo')).toBe('h.example');
    expect(hostOfKey('h.example')).toBe('h.example');
  });

  it('recognizes scheme twins only', () => {
    expect(isSchemeTwin('https://h', 'h')).toBe(true);
    expect(isSchemeTwin('http://h/v2/', 'h')).toBe(true);
    expect(isSchemeTwin('h', 'h')).toBe(false);
    expect(isSchemeTwin('h/ns/repo', 'h')).toBe(false);
    expect(isSchemeTwin('https://other', 'h')).toBe(false);
  });

  it('checks hosts and repository scopes', () => {
    expect(assertRegistryHost('127.0.0.1:5000')).toBe('127.0.0.1:5000');
    expect(() => assertRegistryHost('https://h')).toThrow(/not a bare host/);
    expect(() => assertRegistryHost('h/ns')).toThrow(/not a bare host/);
    expect(scopedKey('h', 'team/app')).toBe('h/team/app');
    expect(() => scopedKey('h', 'Team/App')).toThrow(/not a valid repository/);
    expect(() => scopedKey('h', 'app:v1')).toThrow(/not a valid repository/);
  });
});

describe('setAuthEntries', () => {
  const before = {
    auths: {
      'https://h': { auth: 'old-twin' },
      other: { auth: 'keep', email: 'x@example.com' },
      h: { auth: 'old', identitytoken: 'stale', username: 'u', password: 'p', email: 'me@example.com', 'x-note': 'kept' },
    },
    credHelpers: { z: 'pass' },
    proxies: { default: { httpProxy: 'http://p' } },
    unknownTop: [1, 2, 3],
  };

  it('replaces our entry, drops stale credential fields and twins, keeps the rest', () => {
    const frozen = structuredClone(before);
    const { document, removedTwins } = setAuthEntries(before, [{ key: 'h', auth: 'new' }]);
    expect(document).toEqual({
      auths: { other: { auth: 'keep', email: 'x@example.com' }, h: { auth: 'new', email: 'me@example.com', 'x-note': 'kept' } },
      credHelpers: { z: 'pass' },
      proxies: { default: { httpProxy: 'http://p' } },
      unknownTop: [1, 2, 3],
    });
    expect(removedTwins).toEqual(['https://h']);
    expect(before).toEqual(frozen); // pure
  });

  it('adds new entries after the existing ones and keeps scoped keys of the same host', () => {
    const { document } = setAuthEntries({ auths: { 'h/ns/repo': { auth: 'scoped' } } }, [{ key: 'h', auth: 'a' }, { key: 'g', auth: 'b' }]);
    expect(Object.keys(document.auths ?? {})).toEqual(['h/ns/repo', 'h', 'g']);
  });

  it('creates auths when missing', () => {
    expect(setAuthEntries({ credsStore: '' }, [{ key: 'h', auth: 'a' }]).document).toEqual({ credsStore: '', auths: { h: { auth: 'a' } } });
  });
});

describe('removeAuthEntries', () => {
  const doc = { auths: { h: { auth: 'a' }, 'https://h': { auth: 'b' }, 'h/ns/app': { auth: 'c' }, g: { auth: 'd' } }, keep: true };

  it('removes the key and its twins, not scoped keys unless asked', () => {
    expect(removeAuthEntries(doc, ['h'])).toEqual({ document: { auths: { 'h/ns/app': { auth: 'c' }, g: { auth: 'd' } }, keep: true }, removed: ['h', 'https://h'] });
    expect(removeAuthEntries(doc, ['h'], { includeScoped: true }).removed).toEqual(['h', 'https://h', 'h/ns/app']);
  });

  it('removes nothing from a document without auths', () => {
    expect(removeAuthEntries({ a: 1 }, ['h'])).toEqual({ document: { a: 1 }, removed: [] });
  });
});

describe('findConfiguredHelper', () => {
  it('finds credHelpers first, then credsStore for Docker only', () => {
    const doc = { credHelpers: { h: 'ecr-login' }, credsStore: 'desktop' };
    expect(findConfiguredHelper(doc, 'h', { honorsCredsStore: true })).toEqual({ source: 'credHelpers', helper: 'ecr-login' });
    expect(findConfiguredHelper(doc, 'g', { honorsCredsStore: true })).toEqual({ source: 'credsStore', helper: 'desktop' });
    expect(findConfiguredHelper(doc, 'g', { honorsCredsStore: false })).toBeUndefined();
    expect(findConfiguredHelper({ credsStore: '' }, 'g', { honorsCredsStore: true })).toBeUndefined();
  });
});

describe('host spellings (issue 9: logout with an https:// key)', () => {
  it.each([
    ['https://h.example', true],
    ['http://h.example/', true],
    ['https://h.example/v1/', true],
    ['https://h.example/v2/', true],
    ['HTTPS://H.EXAMPLE', true],
    ['h.example/', true],
    ['h.example/v1/', true],
    ['h.example/v2/', true],
    ['h.example', false], // the key itself
    ['h.example/team/app', false], // a repository-scoped key
    ['h.example/v2', false], // a namespace "v2" in containers-auth.json
    ['h.example.evil/', false],
    ['https://other.example', false],
  ])('isHostTwin(%s, h.example) → %s', (key, twin) => {
    expect(isHostTwin(key, 'h.example')).toBe(twin);
  });

  it.each([
    ['https://h.example:5000/', 'h.example:5000'],
    ['http://h.example', 'h.example'],
    ['h.example/', 'h.example'],
    ['h.example/v2/', 'h.example'],
    ['h.example', 'h.example'],
    ['h.example/team/app', 'h.example/team/app'],
  ])('registryHostOf(%s) → %s', (reference, host) => {
    expect(registryHostOf(reference)).toBe(host);
  });

  it('removes every spelling of a host asked for, and nothing of other hosts (control)', () => {
    const auths = { 'https://h.example': {}, 'h.example/': {}, 'http://h.example/v1/': {}, 'H.EXAMPLE': {}, 'h.example/team/app': {}, 'g.example': {}, 'https://g.example': {} };
    const { document, removed } = removeAuthEntries({ auths }, ['h.example']);
    expect(removed).toEqual(['https://h.example', 'h.example/', 'http://h.example/v1/', 'H.EXAMPLE']);
    expect(Object.keys(document.auths ?? {})).toEqual(['h.example/team/app', 'g.example', 'https://g.example']);
  });
});
