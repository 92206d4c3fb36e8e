// A JSON parser that keeps where every value was in the text, so that a rewrite can copy back, byte for byte,
// every value that did not change (numbers such as 1e400 or 2^64+1, escapes, inner formatting), and refuse what
// JSON.parse would silently lose (a duplicate key). Iterative over text, recursive over nesting, which is bounded.

/** A value of the text and where it is: `text.slice(start, end)` is its raw form. */
export type JsonNode = JsonObjectNode | JsonArrayNode | JsonScalarNode;

interface Span {
  start: number;
  end: number;
}

export interface JsonObjectNode extends Span {
  kind: 'object';
  /** Each member; `lead` is where the text before its key starts (just after `{` or `,`), `value.start` ends its `"key":` part. */
  members: { key: string; keyRaw: string; lead: number; keyStart: number; value: JsonNode }[];
}

export interface JsonArrayNode extends Span {
  kind: 'array';
  items: JsonNode[];
}

export interface JsonScalarNode extends Span {
  kind: 'scalar';
  value: string | number | boolean | null;
}

/** Why a text is refused, and where (an offset into the text; never the text itself). */
export class JsonTextError extends Error {
  constructor(
    readonly problem: 'not-json' | 'duplicate-key' | 'too-deep',
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// eslint-disable-next-line no-control-regex -- control characters are exactly what a JSON string may not hold raw
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;

/**
 * Parses a JSON text (RFC 8259, as strict as `JSON.parse`) into nodes that remember their raw text.
 *
 * @param text - the text.
 * @param maxDepth - the deepest nesting of objects and arrays accepted.
 * @returns the root node.
 * @throws JsonTextError: not JSON, a duplicate key in an object (at any level), or nesting deeper than `maxDepth`.
 */
export function parseJsonText(text: string, maxDepth: number): JsonNode {
  let at = 0;

  const fail = (message: string, offset = at): never => {
    throw new JsonTextError('not-json', offset, message);
  };
  const skipSpace = (): void => {
    for (;;) {
      const c = text.charCodeAt(at);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) at++;
      else return;
    }
  };
  const readString = (): { value: string; raw: string; start: number } => {
    const start = at;
    STRING_BODY.lastIndex = at + 1;
    STRING_BODY.exec(text);
    const close = STRING_BODY.lastIndex;
    if (text.charCodeAt(close) !== 0x22) fail(close >= text.length ? 'unterminated string' : 'invalid character or escape in a string', close);
    at = close + 1;
    const raw = text.slice(start, at);
    return { value: JSON.parse(raw) as string, raw, start };
  };
  const parseValue = (depth: number): JsonNode => {
    skipSpace();
    const start = at;
    const c = text[at];
    if (c === '{' || c === '[') {
      if (depth >= maxDepth) throw new JsonTextError('too-deep', at, `nesting deeper than ${maxDepth} levels`);
      at++;
      return c === '{' ? parseObject(start, depth + 1) : parseArray(start, depth + 1);
    }
    if (c === '"') {
      const { value } = readString();
      return { kind: 'scalar', value, start, end: at };
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return { kind: 'scalar', value, start, end: at };
      }
    }
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text);
    if (number === null) return fail(at >= text.length ? 'unexpected end of text' : 'unexpected character');
    at = NUMBER.lastIndex;
    return { kind: 'scalar', value: Number(number[0]), start, end: at };
  };
  const parseObject = (start: number, depth: number): JsonObjectNode => {
    const members: JsonObjectNode['members'] = [];
    const seen = new Set<string>();
    const afterBrace = at;
    skipSpace();
    // Stryker disable next-line StringLiteral: an empty object has no member to copy: editJsonValue's stringify of a node that is neither object nor array lays its new keys out exactly as the object branch does (same lead, indentation, order), and toPlain and unchanged treat any other kind as an object
    if (text[at] === '}') return { kind: 'object', members, start, end: ++at };
    at = afterBrace;
    for (;;) {
      const lead = at;
      skipSpace();
      if (text[at] !== '"') fail('expected a key in double quotes');
      const key = readString();
      if (seen.has(key.value)) throw new JsonTextError('duplicate-key', key.start, 'a key appears twice in one object');
      seen.add(key.value);
      skipSpace();
      if (text[at] !== ':') fail('expected ":" after a key');
      at++;
      members.push({ key: key.value, keyRaw: key.raw, lead, keyStart: key.start, value: parseValue(depth) });
      skipSpace();
      if (text[at] === ',') at++;
      else if (text[at] === '}') return { kind: 'object', members, start, end: ++at };
      else fail('expected "," or "}"');
    }
  };
  const parseArray = (start: number, depth: number): JsonArrayNode => {
    const items: JsonNode[] = [];
    skipSpace();
    if (text[at] === ']') return { kind: 'array', items, start, end: ++at };
    for (;;) {
      items.push(parseValue(depth));
      skipSpace();
      if (text[at] === ',') at++;
      else if (text[at] === ']') return { kind: 'array', items, start, end: ++at };
      else fail('expected "," or "]"');
    }
  };

  const root = parseValue(0);
  skipSpace();
  if (at < text.length) fail('unexpected text after the end');
  return root;
}

/**
 * Sets an own, enumerable property, even one named `__proto__` (which plain assignment would treat as the
 * prototype, losing the entry).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The plain value of a node, as `JSON.parse` would give it (a `__proto__` key stays an own property). */
export function toPlain(node: JsonNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'array') return node.items.map(toPlain);
  const object: Record<string, unknown> = {};
  for (const member of node.members) setOwn(object, member.key, toPlain(member.value));
  return object;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function presentKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}

/** Whether `value` is what `node` was read as: then its raw text is written back. */
function unchanged(node: JsonNode, value: unknown): boolean {
  if (node.kind === 'scalar') return Object.is(node.value, value);
  if (node.kind === 'array') return Array.isArray(value) && value.length === node.items.length && node.items.every((item, i) => unchanged(item, value[i]));
  if (!isPlainObject(value)) return false;
  const keys = presentKeys(value);
  return keys.length === node.members.length && node.members.every((member) => unchanged(member.value, value[member.key]));
}

/**
 * Writes `value` as an edit of the text `node` was parsed from: every value that did not change comes back as
 * it was read, byte for byte, and so does the layout around the members that stay; members that are new are
 * laid out like the member before them (or with `indent`), after the ones that stay, whose order is kept.
 *
 * @param text - the text that `node` was parsed from.
 * @param node - its parse.
 * @param value - the new value.
 * @param indent - one level of indentation (a tab or spaces), for what is new.
 * @param depth - the nesting level of `value`.
 * @returns the new text of the value.
 */
export function editJsonValue(text: string, node: JsonNode | undefined, value: unknown, indent: string, depth = 0): string {
  if (node !== undefined && unchanged(node, value)) return text.slice(node.start, node.end);
  const inner = `\n${indent.repeat(depth + 1)}`;
  const close = `\n${indent.repeat(depth)}`;
  if (node?.kind === 'object' && isPlainObject(value)) {
    const known = new Set(node.members.map((m) => m.key));
    const parts: string[] = [];
    let lead = inner;
    for (const member of node.members) {
      if (value[member.key] === undefined) continue;
      lead = text.slice(member.lead, member.keyStart);
      parts.push(`${lead}${text.slice(member.keyStart, member.value.start)}${editJsonValue(text, member.value, value[member.key], indent, depth + 1)}`);
    }
    const kept = parts.length;
    if (!lead.includes('\n')) lead = inner;
    for (const key of presentKeys(value)) {
      if (!known.has(key)) parts.push(`${lead}${JSON.stringify(key)}: ${editJsonValue(text, undefined, value[key], indent, depth + 1)}`);
    }
    if (parts.length === 0) return '{}';
    const last = node.members.at(-1);
    const tail = last === undefined || (kept < parts.length && !text.slice(last.value.end, node.end - 1).includes('\n')) ? close : text.slice(last.value.end, node.end - 1);
    return `{${parts.join(',')}${tail}}`;
  }
  if (node?.kind === 'array' && Array.isArray(value)) {
    const parts = value.map((item, i) => editJsonValue(text, node.items[i], item ?? null, indent, depth + 1));
    return parts.length === 0 ? '[]' : `[${inner}${parts.join(`,${inner}`)}${close}]`;
  }
  return (JSON.stringify(value, null, indent) ?? 'null').replace(/\n/g, close);
}
