// printable(): how a registry string appears in a message: JSON-escaped without its quotes, every character
// outside printable ASCII as \uXXXX (so input cannot write to the terminal), cut at 128 characters.
import { describe, expect, it } from 'vitest';
import { printable } from './registry.js';

describe('printable', () => {
  it('escapes quotes, backslashes and control characters, without adding quotes', () => {
    expect(printable('plain.example.com')).toBe('plain.example.com');
    expect(printable('a"b\\c')).toBe('a\\"b\\\\c');
    expect(printable('bell\u0007esc\u001b[31m')).toBe('bell\\u0007esc\\u001b[31m');
    expect(printable('tab\tnewline\n')).toBe('tab\\tnewline\\n');
  });

  it('writes every non-ASCII character as \\uXXXX, four lower-case hex digits', () => {
    expect(printable('é')).toBe('\\u00e9');
    expect(printable('\u202e')).toBe('\\u202e');
    expect(printable('😀')).toBe('\\ud83d\\ude00');
    expect(printable('\u007f')).toBe('\\u007f');
  });

  it('keeps 128 characters whole and cuts longer input at 128, marked by an escaped ellipsis', () => {
    expect(printable('x'.repeat(128))).toBe('x'.repeat(128));
    expect(printable('x'.repeat(129))).toBe(`${'x'.repeat(128)}\\u2026`);
    expect(printable('y'.repeat(500))).toBe(`${'y'.repeat(128)}\\u2026`);
  });
});
