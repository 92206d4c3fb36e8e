// Key spellings (auth-keys.ts) that mutation testing showed unobserved: a scheme only at the start, which paths
// are spellings of the host, and the repository part of a scoped key.
import { describe, expect, it } from 'vitest';
import { hostOfKey, isSchemeTwin, registryHostOf, scopedKey } from '@ecr-auth/auth-file';

describe('auth keys', () => {
  it('a scheme counts only at the start of a key', () => {
    expect(hostOfKey('myhttps://x')).toBe('myhttps:');
    expect(isSchemeTwin('h.example/https://h.example', 'h.example')).toBe(false);
    expect(isSchemeTwin('https://h.example/v1/', 'h.example')).toBe(true); // control
    expect(registryHostOf('h.example/x/https://y')).toBe('h.example/x/https://y');
  });

  it('host/ and host/v2/ are the host; host/v2 and host/team/ are not', () => {
    expect(registryHostOf('h.example/v2/')).toBe('h.example');
    expect(registryHostOf('h.example/')).toBe('h.example');
    expect(registryHostOf('h.example')).toBe('h.example');
    expect(registryHostOf('h.example/v2')).toBe('h.example/v2');
    expect(registryHostOf('h.example/team/')).toBe('h.example/team/');
  });

  it('scopedKey trims slashes around the repository and takes dots, dashes and underscores inside its parts', () => {
    expect(scopedKey('h.example', '//team/my.app-x__y//')).toBe('h.example/team/my.app-x__y');
    expect(() => scopedKey('h.example', 'team/My.App')).toThrow(/not a valid repository path/); // control
  });
});
