import { describe, expect, it } from 'vitest';
import { EcrAuthError } from 'ecr-auth';
import { AuthFileError, AuthFileInvalidError, detectIndent, parseAuthFile, serializeAuthFile } from '@ecr-auth/auth-file';

const SECRET = 'c2VjcmV0LWluLWZpbGU=';

describe('parseAuthFile', () => {
  it('parses a valid file and keeps unknown keys', () => {
    const text = '{\n  "auths": {"h": {"auth": "x", "email": "e"}},\n  "proxies": {"a": 1}\n}\n';
    const { document, indent } = parseAuthFile(text, '/f');
    expect(document).toEqual({ auths: { h: { auth: 'x', email: 'e' } }, proxies: { a: 1 } });
    expect(indent).toBe(2);
  });

  it('reads an empty or blank file as an empty document', () => {
    expect(parseAuthFile('', '/f').document).toEqual({});
    expect(parseAuthFile(' \n', '/f').document).toEqual({});
  });

  it.each([
    ['{"auths": {"h": {"auth": "' + SECRET + '"}}', 'not-json', 'is not valid JSON'],
    ['[1, 2]', 'not-an-object', 'top level is an array'],
    ['"text"', 'not-an-object', 'top level is a string'],
    ['null', 'not-an-object', 'top level is null'],
    ['{"auths": []}', 'auths-not-an-object', '"auths" is an array'],
    ['{"auths": "' + SECRET + '"}', 'auths-not-an-object', '"auths" is a string'],
    ['{"auths": {"h": "' + SECRET + '"}}', 'entry-not-an-object', 'auths["h"] is a string'],
    ['{"credHelpers": {"h": 1}}', 'cred-helpers-not-an-object', '"credHelpers"'],
    ['{"credsStore": 1}', 'creds-store-not-a-string', '"credsStore" is a number'],
  ])('refuses %s with a typed error naming the path and the problem', (text, problem, words) => {
    let caught: unknown;
    try {
      parseAuthFile(text, '/home/me/.docker/config.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AuthFileInvalidError);
    const error = caught as AuthFileInvalidError;
    expect(error.code).toBe('ECR_AUTH_FILE_INVALID');
    expect(error).toBeInstanceOf(AuthFileError);
    expect(error).toBeInstanceOf(EcrAuthError);
    expect(error.name).toBe('AuthFileInvalidError');
    expect(error.message.startsWith('ecr-auth: ')).toBe(true);
    expect(error.problem).toBe(problem);
    expect(error.path).toBe('/home/me/.docker/config.json');
    expect(error.message).toContain('/home/me/.docker/config.json');
    expect(error.message).toContain(words);
    expect(error.message).not.toContain(SECRET);
  });

  it('gives the line and column of a syntax error without quoting the file', () => {
    expect(() => parseAuthFile('{\n  "auths": {,}\n}', '/f')).toThrow(/line 2, column \d+/);
  });
});

describe('detectIndent and serializeAuthFile', () => {
  it('detects tabs, spaces, and falls back for one-line files', () => {
    expect(detectIndent('{\n\t"a": 1\n}')).toBe('\t');
    expect(detectIndent('{\n    "a": 1\n}')).toBe(4);
    expect(detectIndent('{"a": 1}')).toBe('\t');
    expect(detectIndent('{"a": 1}', 2)).toBe(2);
  });

  it('writes indented JSON with a trailing newline', () => {
    expect(serializeAuthFile({ a: 1 }, 2)).toBe('{\n  "a": 1\n}\n');
    expect(serializeAuthFile({ a: 1 })).toBe('{\n\t"a": 1\n}\n');
  });
});
