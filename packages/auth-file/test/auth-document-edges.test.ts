// parseAuthFile / serializeAuthFile edges that mutation testing showed unobserved: where invalid UTF-8 and invalid
// JSON are reported, a byte order mark, null settings, mixed indentation, and a rewrite keeping the file's own
// whitespace around the document.
import { describe, expect, it } from 'vitest';
import { AuthFileInvalidError, detectIndent, parseAuthFile, serializeAuthFile } from '@ecr-auth/auth-file';

const problemOf = (content: string | Uint8Array): { problem: string; message: string } => {
  try {
    parseAuthFile(content, '/p');
  } catch (error) {
    if (!(error instanceof AuthFileInvalidError)) throw error;
    return { problem: error.problem, message: error.message };
  }
  throw new Error('parsed');
};
const bytes = (...parts: (string | number[])[]): Uint8Array => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('parseAuthFile', () => {
  it.each([
    ['a lead byte without its continuation', bytes('{"a":"', [0xe9], 'x"}'), 6],
    ['a sequence cut short', bytes('{"a":"', [0xe2, 0x82], '"}'), 6],
    ['a stray continuation byte', bytes('{"a":"', [0x80], '"}'), 6],
    ['a bad byte after good multi-byte characters', bytes('{"a":"é€', [0xff], '"}'), 11],
  ])('names the first byte that is not UTF-8: %s', (_, content, at) => {
    expect(problemOf(content)).toEqual({ problem: 'not-utf8', message: expect.stringContaining(`(byte ${at} is not part of a UTF-8 character)`) as string });
  });

  it('says on which line and column the JSON goes wrong', () => {
    expect(problemOf('{\n  "a": x}').message).toContain('is not valid JSON (line 2, column 8: unexpected character)');
    expect(problemOf('{"a": x}').message).toContain('(line 1, column 7: unexpected character)');
  });

  it('a byte order mark at the start is skipped; one inside a value is kept', () => {
    expect(parseAuthFile('\uFEFF{"a": "x\uFEFFy"}', '/p').document).toEqual({ a: 'x\uFEFFy' });
  });

  it('an empty (or blank) file is an empty document indented with tabs', () => {
    expect(parseAuthFile(' \n', '/p')).toEqual({ document: {}, indent: '\t' });
  });

  it('null auths, credHelpers and credsStore are accepted as absent; wrong types are refused', () => {
    expect(parseAuthFile('{"auths": null, "credHelpers": null, "credsStore": null}', '/p').document).toEqual({ auths: null, credHelpers: null, credsStore: null });
    expect(problemOf('{"credHelpers": {"a": "pass", "b": 1}}').problem).toBe('cred-helpers-not-an-object');
    expect(problemOf('{"credsStore": 1}').problem).toBe('creds-store-not-a-string');
    expect(problemOf('{"auths": 1}').problem).toBe('auths-not-an-object');
  });
});

describe('detectIndent', () => {
  it('a tab first means tabs; spaces first count, even with a tab after them', () => {
    expect(detectIndent('{\n\t  "a": 1\n}')).toBe('\t');
    expect(detectIndent('{\n  \t"a": 1\n}')).toBe(3);
  });
});

describe('serializeAuthFile', () => {
  it('keeps the whitespace before and after the document', () => {
    const parsed = parseAuthFile('  {"a": 1}  \n\n', '/p');
    expect(serializeAuthFile({ a: 2 } as never, parsed.indent, parsed)).toBe('  {"a": 2}  \n\n');
  });

  it('an original given as text only (not from parseAuthFile) is read for its layout too', () => {
    expect(serializeAuthFile({ a: 100, b: 1 } as never, '\t', { document: {}, indent: '\t', text: '{"a": 1e2}' })).toBe('{"a": 1e2,\n\t"b": 1\n}');
    expect(serializeAuthFile({ a: 1 } as never, '\t', { document: {}, indent: '\t', text: '  ' })).toBe('{\n\t"a": 1\n}\n'); // blank: written anew
  });
});
