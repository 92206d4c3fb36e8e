// json-text.ts at module level: what the lossless parser refuses and says, and what a rewrite writes when an
// object or array changes (the text of every unchanged value copied back, new keys in the file's own layout).
import { describe, expect, it } from 'vitest';
import { JsonTextError, editJsonValue, parseJsonText, setOwn, toPlain } from '../src/json-text.js';

const refusal = (text: string, maxDepth = 100): { problem: string; offset: number; message: string } => {
  try {
    parseJsonText(text, maxDepth);
  } catch (error) {
    if (!(error instanceof JsonTextError)) throw error;
    return { problem: error.problem, offset: error.offset, message: error.message };
  }
  throw new Error(`parsed: ${text}`);
};
const edit = (text: string, value: unknown, indent = '\t'): string => editJsonValue(text, parseJsonText(text, 100), value, indent);

describe('parseJsonText refuses, saying what and where', () => {
  it.each([
    ['"abc', 4, 'unterminated string'],
    ['"a\u0001b"', 2, 'invalid character or escape in a string'],
    ['"\\u12G4"', 1, 'invalid character or escape in a string'],
    ['', 0, 'unexpected end of text'],
    ['[1,', 3, 'unexpected end of text'],
    ['x', 0, 'unexpected character'],
    ['{1: 2}', 1, 'expected a key in double quotes'],
    ['{"a" 1}', 5, 'expected ":" after a key'],
    ['{"a": 1 "b": 2}', 8, 'expected "," or "}"'],
    ['[1 2]', 3, 'expected "," or "]"'],
    ['[1}', 2, 'expected "," or "]"'],
    ['{} x', 3, 'unexpected text after the end'],
  ])('%j: not JSON at %i (%s)', (text, offset, message) => {
    expect(refusal(text)).toEqual({ problem: 'not-json', offset, message });
  });

  it('a duplicate key, and nesting past the limit, with their own problems', () => {
    expect(refusal('{"a": 1, "a": 2}')).toEqual({ problem: 'duplicate-key', offset: 9, message: 'a key appears twice in one object' });
    expect(refusal('[[[1]]]', 2)).toEqual({ problem: 'too-deep', offset: 2, message: 'nesting deeper than 2 levels' });
    expect(toPlain(parseJsonText('[[1]]', 2))).toEqual([[1]]); // control: at the limit
  });

  it('control: every kind of space, empty objects and arrays, escapes', () => {
    expect(toPlain(parseJsonText('\t{\r\n "a" :\t{ },\n "b": [ ], "c": "\\u00e9\\n"}\n', 100))).toEqual({ a: {}, b: [], c: 'é\n' });
  });
});

describe('setOwn', () => {
  it('sets __proto__ as an own, ordinary entry', () => {
    const target: Record<string, unknown> = {};
    setOwn(target, '__proto__', 1);
    expect(Object.getOwnPropertyDescriptor(target, '__proto__')).toEqual({ value: 1, enumerable: true, writable: true, configurable: true });
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
  });
});

describe('editJsonValue', () => {
  it('copies an unchanged value back as it was written, even when the new value has keys set to undefined', () => {
    expect(edit('{ "a" : 1e2 }', { a: 100, b: undefined })).toBe('{ "a" : 1e2 }');
  });

  it('an array that grew, shrank or changed is written whole; its unchanged items as they were', () => {
    expect(edit('[1e2, 2]', [100, 2, 3])).toBe('[\n\t1e2,\n\t2,\n\t3\n]');
    expect(edit('[1e2, 2]', [100])).toBe('[\n\t1e2\n]');
    expect(edit('[1e2, 2]', [])).toBe('[]');
    expect(edit('{"a": [1]}', { a: [1, undefined] })).toBe('{"a": [\n\t\t1,\n\t\tnull\n\t]}');
  });

  it('a value that changed kind is written anew', () => {
    expect(edit('{"a": {"b": 1}}', { a: null })).toBe('{"a": null}');
    expect(edit('{"a": {"0": 1}}', { a: [1] })).toBe('{"a": [\n\t\t1\n\t]}');
    expect(edit('{"a": [1]}', { a: { 0: 1 } })).toBe('{"a": {\n\t\t"0": 1\n\t}}');
    expect(editJsonValue('', undefined, undefined, '\t')).toBe('null');
  });

  it('a key added to a one-line object goes on a line of its own, and the object closes on its own line', () => {
    expect(edit('{"a": 1}', { a: 1, b: 2 })).toBe('{"a": 1,\n\t"b": 2\n}');
  });

  it('a key added to a laid-out object follows the layout of the last member', () => {
    expect(edit('{\n    "a": 1\n}', { a: 1, b: 2 }, '  ')).toBe('{\n    "a": 1,\n    "b": 2\n}');
  });

  it('removing keys keeps the layout; removing every key leaves {}', () => {
    expect(edit('{\n  "a": 1,\n  "b": 2\n}', { a: 1 }, '  ')).toBe('{\n  "a": 1\n}');
    expect(edit('{"a": 1, "b": 2}', {})).toBe('{}');
    expect(edit('{}', { a: 1 })).toBe('{\n\t"a": 1\n}');
  });
});
