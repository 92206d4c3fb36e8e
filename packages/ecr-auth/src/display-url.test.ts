// What of a URL may be printed: displayEndpoint keeps scheme, host, port and path; scrubUrls takes user
// information, query strings and fragments out of every URL inside a text, whatever the scheme.
import { describe, expect, it } from 'vitest';
import { displayEndpoint, scrubUrls } from './display-url.js';

describe('displayEndpoint', () => {
  it('keeps scheme, host, port and a path; drops user information, query and fragment', () => {
    expect(displayEndpoint('https://user:pw@ecr.internal:8443/prefix?sig=s3cr3t#frag')).toBe('https://ecr.internal:8443/prefix');
    expect(displayEndpoint('http://127.0.0.1:4566/')).toBe('http://127.0.0.1:4566');
    expect(displayEndpoint('http://127.0.0.1:4566')).toBe('http://127.0.0.1:4566');
    expect(displayEndpoint('not a url')).toBe('(an invalid URL)');
  });
});

describe('scrubUrls', () => {
  it('removes user information, queries and fragments from every URL in a text', () => {
    expect(scrubUrls('GET https://user:pw@host.example/path?X-Amz-Signature=abc#f failed; retry via http://p:q@proxy:3128/')).toBe(
      'GET https://host.example/path failed; retry via http://proxy:3128/',
    );
    expect(scrubUrls('https://host.example/path?sig=abc')).toBe('https://host.example/path');
    expect(scrubUrls('https://host.example#token=abc')).toBe('https://host.example');
    expect(scrubUrls('HTTPS://User:Pw@Host.Example/')).toBe('HTTPS://Host.Example/');
  });

  it('knows schemes with digits, "+", "." and "-", of any length', () => {
    expect(scrubUrls('git+ssh://user:pw@host/repo')).toBe('git+ssh://host/repo');
    expect(scrubUrls('s3://key:secret@bucket/key')).toBe('s3://bucket/key');
    expect(scrubUrls('x.y-z9://a:b@host')).toBe('x.y-z9://host');
    expect(scrubUrls('ws://a@host')).toBe('ws://host');
  });

  it('leaves text without URLs, and the host and path of a URL, as they are', () => {
    expect(scrubUrls('no url here: user:pw@host ?query')).toBe('no url here: user:pw@host ?query');
    expect(scrubUrls('https://host.example/a/b')).toBe('https://host.example/a/b');
    // An "@" further on in the path is not user information.
    expect(scrubUrls('https://host.example/v2/@scope/x')).toBe('https://host.example/v2/@scope/x');
  });
});
