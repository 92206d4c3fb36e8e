import { AuthFileInvalidError } from './errors.js';

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

/** A parsed auth file: the document and how it was indented. */
export interface ParsedAuthFile {
  /** The document. */
  document: AuthDocument;
  /** The indentation to keep when writing it back. */
  indent: JsonIndent;
}

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

/**
 * Parses and checks the text of an auth file. An empty (or blank) text is an empty document, as the tools
 * read it. The error never quotes the file's content, which may hold secrets.
 *
 * @example
 * ```ts
 * const { document, indent } = parseAuthFile(await readFile(path, 'utf8'), path);
 * ```
 *
 * @param text - the file's content.
 * @param path - the file's path, for error messages.
 * @returns the document and its indentation.
 * @throws AuthFileInvalidError when the text is not JSON, its top level is not an object, or `auths`,
 *   an `auths` entry, `credHelpers` or `credsStore` has the wrong type.
 */
export function parseAuthFile(text: string, path: string): ParsedAuthFile {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return { document: {}, indent: '\t' };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    // V8's message may quote the text (and so a secret): keep only the position.
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    const where = position === undefined ? '' : ` (${lineAndColumn(body, Number(position))})`;
    throw new AuthFileInvalidError(path, 'not-json', `is not valid JSON${where}`);
  }
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
  return { document: value as AuthDocument, indent: detectIndent(body) };
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * Serializes a document as the tools write it: indented JSON with a trailing newline.
 *
 * @example
 * ```ts
 * const { document, indent } = parseAuthFile(await readFile(path, 'utf8'), path);
 * await writeFile(path, serializeAuthFile(document, indent), { mode: 0o600 });
 * ```
 *
 * @param document - the document.
 * @param indent - a tab or a number of spaces; defaults to a tab (what Docker and the containers tools write).
 * @returns the file's new content.
 */
export function serializeAuthFile(document: AuthDocument, indent: JsonIndent = '\t'): string {
  return `${JSON.stringify(document, null, indent)}\n`;
}
