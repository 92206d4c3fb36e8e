import { AuthFileInvalidError } from './errors.js';
import { type JsonNode, JsonTextError, editJsonValue, parseJsonText, toPlain } from './json-text.js';

/** The deepest nesting of objects and arrays accepted in an auth file (real ones have 3 or 4 levels). */
export const MAX_AUTH_FILE_DEPTH = 100;

/** One entry of `auths`: `auth` is base64 of `user:password`; other keys are kept as found. */
export interface AuthEntry {
  /** Base64 of `user:password`. */
  auth?: string;
  /** Any other key found in the file (kept on rewrite). */
  [key: string]: unknown;
}

/**
 * An auth file's document: Docker `config.json` or containers-auth.json. Only the keys this library reads are
 * typed; every other key is kept as found.
 */
export interface AuthDocument {
  /** Credentials per registry (or per `host/ns/repo` in containers-auth.json). */
  auths?: Record<string, AuthEntry>;
  /** Credential helper per registry host (`docker-credential-<name>`). */
  credHelpers?: Record<string, string>;
  /** Docker's default credential helper for every registry (ignored by the containers tools). */
  credsStore?: string;
  /** Any other key (kept on rewrite). */
  [key: string]: unknown;
}

/** How a file was indented: a tab, or a number of spaces. */
export type JsonIndent = '\t' | number;

/**
 * A parsed auth file: the document, how it was indented, and its text.
 *
 * @example
 * ```ts
 * const parsed: ParsedAuthFile = parseAuthFile(await readFile(path), path);
 * await writeFile(path, serializeAuthFile(removeAuthEntries(parsed.document, [host]).document, parsed.indent, parsed));
 * ```
 */
export interface ParsedAuthFile {
  /** The document. */
  document: AuthDocument;
  /** The indentation to keep when writing it back. */
  indent: JsonIndent;
  /**
   * The text it was parsed from (without a byte order mark), when there was one: {@link serializeAuthFile} given
   * this parse writes every value that did not change back exactly as it was read.
   */
  text?: string;
}

const parses = new WeakMap<ParsedAuthFile, JsonNode>();

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The indentation an existing JSON text uses: a tab, or the width of the first indented line; `fallback` for a
 * one-line text.
 *
 * @example
 * ```ts
 * detectIndent('{\n  "auths": {}\n}'); // → 2
 * detectIndent('{}'); // → '\t' (the fallback)
 * ```
 *
 * @param text - the JSON text.
 * @param fallback - the indentation when none is visible.
 * @returns `'\t'` or a number of spaces.
 */
export function detectIndent(text: string, fallback: JsonIndent = '\t'): JsonIndent {
  const match = /\n([ \t]+)\S/.exec(text);
  if (!match?.[1]) return fallback;
  if (match[1].startsWith('\t')) return '\t';
  return Math.min(match[1].length, 8);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of `bytes`, or the offset of the first byte that is not UTF-8. */
function decodeUtf8(bytes: Uint8Array): string | { badByte: number } {
  try {
    return utf8.decode(bytes);
  } catch {
    // Find the longest prefix that decodes (an incomplete sequence at its end is not an error with stream: true).
    let good = 0;
    let bad = bytes.length;
    while (bad - good > 1) {
      const middle = (good + bad) >>> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, middle), { stream: true });
        good = middle;
      } catch {
        bad = middle;
      }
    }
    let badByte = good;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, good));
    } catch {
      // The prefix ends inside a sequence: the bad one starts at its lead byte.
      // Stryker disable next-line ConditionalExpression,EqualityOperator: the prefix decodes in stream mode, so a lead byte (not 10xxxxxx) precedes the continuation bytes walked over: the walk stops at it, before index 0 (and bytes[-1] ?? 0 would stop it too)
      while (badByte > 0 && ((bytes[badByte - 1] ?? 0) & 0xc0) === 0x80) badByte--;
      badByte--;
    }
    return { badByte };
  }
}

/**
 * Parses and checks an auth file. An empty (or blank) file is an empty document, as the tools read it. Refused,
 * with the file left as it is: text that is not JSON, not UTF-8 (given as bytes), a key that appears twice in one
 * object (at any level: `JSON.parse` would silently keep only the last), nesting deeper than 100 levels, or the
 * wrong type for `auths`, an `auths` entry, `credHelpers` or `credsStore`. Numbers, escapes and `__proto__` keys
 * are kept as found (see {@link serializeAuthFile}). The error never quotes the file's content, which may hold
 * secrets.
 *
 * @example
 * ```ts
 * const parsed = parseAuthFile(await readFile(path), path);
 * const next = setAuthEntries(parsed.document, [{ key: host, auth }]).document;
 * await writeFile(path, serializeAuthFile(next, parsed.indent, parsed));
 * ```
 *
 * @param content - the file's content: bytes (checked to be UTF-8) or text.
 * @param path - the file's path, for error messages.
 * @returns the document, its indentation and its text.
 * @throws AuthFileInvalidError with `problem` naming what is wrong.
 */
export function parseAuthFile(content: string | Uint8Array, path: string): ParsedAuthFile {
  let text: string;
  if (typeof content === 'string') text = content;
  else {
    const decoded = decodeUtf8(content);
    if (typeof decoded !== 'string') throw new AuthFileInvalidError(path, 'not-utf8', `is not UTF-8 text (byte ${decoded.badByte} is not part of a UTF-8 character)`);
    text = decoded;
  }
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return { document: {}, indent: '\t' };
  let root: JsonNode;
  try {
    root = parseJsonText(body, MAX_AUTH_FILE_DEPTH);
  } catch (error) {
    // Stryker disable next-line ConditionalExpression: parseJsonText throws only JsonTextError (a string is matched by STRING_BODY before JSON.parse reads it; nesting is bounded at 100 levels)
    if (!(error instanceof JsonTextError)) throw error;
    const where = lineAndColumn(body, error.offset);
    if (error.problem === 'duplicate-key') throw new AuthFileInvalidError(path, 'duplicate-key', `has a key that appears twice in one object (${where}); the tools would each keep a different one`);
    if (error.problem === 'too-deep') throw new AuthFileInvalidError(path, 'too-deep', `is nested deeper than ${MAX_AUTH_FILE_DEPTH} levels (${where})`);
    throw new AuthFileInvalidError(path, 'not-json', `is not valid JSON (${where}: ${error.message})`);
  }
  const value = toPlain(root);
  if (!isPlainObject(value)) throw new AuthFileInvalidError(path, 'not-an-object', `its top level is ${describe(value)}, expected a JSON object`);
  const { auths, credHelpers, credsStore } = value;
  if (auths !== undefined && auths !== null) {
    if (!isPlainObject(auths)) throw new AuthFileInvalidError(path, 'auths-not-an-object', `"auths" is ${describe(auths)}, expected an object`);
    for (const [key, entry] of Object.entries(auths)) {
      if (!isPlainObject(entry)) throw new AuthFileInvalidError(path, 'entry-not-an-object', `auths["${key}"] is ${describe(entry)}, expected an object`);
    }
  }
  if (credHelpers !== undefined && credHelpers !== null) {
    if (!isPlainObject(credHelpers) || Object.values(credHelpers).some((v) => typeof v !== 'string')) {
      throw new AuthFileInvalidError(path, 'cred-helpers-not-an-object', `"credHelpers" is ${describe(credHelpers)}, expected an object of helper names`);
    }
  }
  if (credsStore !== undefined && credsStore !== null && typeof credsStore !== 'string') {
    throw new AuthFileInvalidError(path, 'creds-store-not-a-string', `"credsStore" is ${describe(credsStore)}, expected a helper name`);
  }
  const parsed: ParsedAuthFile = { document: value as AuthDocument, indent: detectIndent(body), text: body };
  parses.set(parsed, root);
  return parsed;
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * Serializes a document as the tools write it: indented JSON with a trailing newline. Given the parse of the
 * file the document was derived from, writes it as an edit of that file: every value that did not change comes
 * back byte for byte as it was read (a number like `1e400` or `18446744073709551617`, escapes, unknown keys and
 * their order, `__proto__` keys), and only what changed is laid out anew; an unchanged document gives the
 * file's text back.
 *
 * @example
 * ```ts
 * const parsed = parseAuthFile(await readFile(path), path);
 * const next = setAuthEntries(parsed.document, [{ key: host, auth }]).document;
 * await writeFile(path, serializeAuthFile(next, parsed.indent, parsed), { mode: 0o600 });
 * serializeAuthFile({ auths: {} }); // → '{\n\t"auths": {}\n}\n'
 * ```
 *
 * @param document - the document.
 * @param indent - a tab or a number of spaces; defaults to a tab (what Docker and the containers tools write).
 * @param original - the parse of the file `document` was derived from, if any.
 * @returns the file's new content.
 */
export function serializeAuthFile(document: AuthDocument, indent: JsonIndent = '\t', original?: ParsedAuthFile): string {
  const unit = indent === '\t' ? '\t' : ' '.repeat(Math.min(Math.max(indent, 1), 10));
  // Stryker disable next-line ConditionalExpression,EqualityOperator: without the cached parse, the text is parsed again below, to the same nodes
  let root = original === undefined ? undefined : parses.get(original);
  // Stryker disable next-line ConditionalExpression: with the cached parse, the same text is parsed again to the same nodes (only slower)
  if (root === undefined && original?.text !== undefined && original.text.trim() !== '') root = parseJsonText(original.text, MAX_AUTH_FILE_DEPTH);
  // Stryker disable next-line StringLiteral: with no original there is no root, and the text is not read
  const text = original?.text ?? '';
  const edited = editJsonValue(text, root, document, unit);
  // Around the document, too, the file's own whitespace stays.
  return root === undefined ? `${edited}\n` : `${text.slice(0, root.start)}${edited}${text.slice(root.end)}`;
}
