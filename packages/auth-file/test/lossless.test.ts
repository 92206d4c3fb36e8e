// Item 5 of issue 9: unknown content round-trips; what cannot be kept is refused untouched.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type AuthDocument, AuthFileInvalidError, parseAuthFile, removeContainersAuth, serializeAuthFile, setAuthEntries, writeContainersAuth } from '@ecr-auth/auth-file';
import { writeDockerConfig } from '@ecr-auth/docker-config';
import { registerSecrets } from '../../../test-support/leaks.js';
import { tempDirs, testToken } from '../../../test-support/real-tools/fixtures.js';

const PASSWORD = 'lossless-password-7hq2';
registerSecrets(() => [PASSWORD]);
const HOST = '127.0.0.1:5000';
const token = testToken(PASSWORD, HOST);
const AUTH = token.revealBasicAuth();
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

// Unknown content that JSON.parse + JSON.stringify would change: huge and big numbers, number spellings,
// escapes, __proto__ keys at every level, key order, inner layout of an unknown value.
const ORIGINAL = `{
  "zeta": 1e400,
  "big": 18446744073709551617,
  "spellings": [1.0, -0, 1E2, 0.10],
  "\\u0061lias": "\\u00e9t\\u00e9 \\/ caf\\u00e9",
  "__proto__": {"polluted": true},
  "auths": {
    "__proto__": {"auth": "cHJvdG86eA=="},
    "other.example": {"auth": "b3RoZXI6eA==", "email": "a@b", "__proto__": 7},
    "https://${HOST}/v1/": {"auth": "c3RhbGU6eA=="}
  },
  "credHelpers": {"__proto__": "x", "public.ecr.aws": "ecr-login"},
  "nested": {"deep": {"__proto__": {"__proto__": [1e400]}}},
  "compact":{"a":[1,2,{"b":null}]},
  "alpha": true
}
`;

describe('lossless rewrites', () => {
  it('adds our entry and changes nothing else: every unknown value comes back byte for byte', async () => {
    const path = join(await dirs.make(), 'auth.json');
    await writeFile(path, ORIGINAL);
    await writeContainersAuth(token, { authFile: path });
    const expected = ORIGINAL.replace(`,\n    "https://${HOST}/v1/": {"auth": "c3RhbGU6eA=="}\n  },`, `,\n    "${HOST}": {\n      "auth": "${AUTH}"\n    }\n  },`);
    expect(expected).not.toBe(ORIGINAL);
    expect(await readFile(path, 'utf8')).toBe(expected);

    // Control: the old design (JSON.parse, then JSON.stringify) loses or rewrites each of these.
    const old = JSON.stringify(setAuthEntries(JSON.parse(ORIGINAL) as AuthDocument, [{ key: HOST, auth: AUTH }]).document, null, 2);
    for (const kept of ['1e400', '18446744073709551617', '1.0', '-0', '\\u0061lias', '"compact":{"a":[1,2,{"b":null}]}']) {
      expect(await readFile(path, 'utf8')).toContain(kept);
      expect(old).not.toContain(kept);
    }
    // Control: the old merge assigned entries (auths[key] = entry), which drops a __proto__ entry.
    const assigned: Record<string, unknown> = {};
    assigned['__proto__'] = { auth: 'cHJvdG86eA==' };
    expect(Object.keys(assigned)).toEqual([]);
    expect(await readFile(path, 'utf8')).toContain('"auths": {\n    "__proto__": {"auth": "cHJvdG86eA=="}');
  });

  it('removes our entry and its https twin and nothing else; a second identical write does not touch the file', async () => {
    const path = join(await dirs.make(), 'auth.json');
    await writeFile(path, ORIGINAL);
    const removed = await removeContainersAuth(HOST, { authFile: path });
    expect(removed.removed).toEqual([`https://${HOST}/v1/`]);
    expect(await readFile(path, 'utf8')).toBe(ORIGINAL.replace(`,\n    "https://${HOST}/v1/": {"auth": "c3RhbGU6eA=="}`, ''));
    await writeContainersAuth(token, { authFile: path });
    const before = await stat(path);
    expect((await writeContainersAuth(token, { authFile: path })).changed).toBe(false);
    expect((await stat(path)).ino).toBe(before.ino);
  });

  it('keeps the other keys of a replaced entry in their order, and the __proto__ entry stays an own entry', async () => {
    const path = join(await dirs.make(), 'config.json');
    await writeFile(path, `{\n\t"auths": {\n\t\t"${HOST}": {\n\t\t\t"email": "x@y",\n\t\t\t"auth": "b2xkOng=",\n\t\t\t"identitytoken": "old"\n\t\t}\n\t}\n}\n`);
    await writeDockerConfig(token, { path });
    expect(await readFile(path, 'utf8')).toBe(`{\n\t"auths": {\n\t\t"${HOST}": {\n\t\t\t"email": "x@y",\n\t\t\t"auth": "${AUTH}"\n\t\t}\n\t}\n}\n`);
    const parsed = parseAuthFile(ORIGINAL, 'f');
    expect(Object.keys(parsed.document.auths ?? {})).toContain('__proto__');
    expect(Object.getPrototypeOf(parsed.document.auths)).toBe(Object.prototype); // not polluted
    expect(Object.keys(setAuthEntries(parsed.document, [{ key: HOST, auth: AUTH }]).document.auths ?? {})).toContain('__proto__');
  });

  it('property: an unchanged document is the file text exactly; the document equals what JSON.parse gives', () => {
    const keys = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'auths', 'constructor'));
    const json = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null)),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.uniqueArray(fc.tuple(keys, tie('value')), { maxLength: 4, selector: ([k]) => k }).map((entries) => {
          const object: Record<string, unknown> = {};
          for (const [k, v] of entries) Object.defineProperty(object, k, { value: v, enumerable: true, writable: true, configurable: true });
          return object;
        }),
      ),
    }));
    const document = fc.uniqueArray(fc.tuple(keys, json.value), { maxLength: 5, selector: ([k]) => k }).filter((entries) => entries.every(([k]) => !['auths', 'credHelpers', 'credsStore'].includes(k)));
    fc.assert(
      fc.property(document, fc.constantFrom<'\t' | number>('\t', 2, 4), (entries, indent) => {
        const object: Record<string, unknown> = {};
        for (const [k, v] of entries) Object.defineProperty(object, k, { value: v, enumerable: true, writable: true, configurable: true });
        const text = `${JSON.stringify(object, null, indent)}\n`;
        const parsed = parseAuthFile(Buffer.from(text), 'f');
        expect(isDeepStrictEqual(parsed.document, JSON.parse(text))).toBe(true);
        expect(serializeAuthFile(parsed.document, parsed.indent, parsed)).toBe(text);
        expect(serializeAuthFile({ ...parsed.document }, parsed.indent, parsed)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('refused untouched', () => {
  async function refused(content: string | Buffer, problem: string): Promise<AuthFileInvalidError> {
    const path = join(await dirs.make(), 'auth.json');
    await writeFile(path, content);
    const before = await stat(path);
    const error = await writeContainersAuth(token, { authFile: path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFileInvalidError);
    expect(error).toMatchObject({ code: 'ECR_AUTH_FILE_INVALID', problem, path });
    expect(Buffer.compare(await readFile(path), Buffer.from(content))).toBe(0);
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
    expect((error as Error).message).not.toContain('c2VjcmV0'); // never quotes the file
    return error as AuthFileInvalidError;
  }

  it.each([
    ['at the top level', '{"auths": {}, "x": 1, "x": 2}'],
    ['in auths', '{"auths": {"h": {"auth": "c2VjcmV0"}, "h": {"auth": "b3RoZXI="}}}'],
    ['deep in an unknown value', '{"a": {"b": [{"c": 1, "\\u0063": 2}]}}'],
  ])('duplicate keys %s (control: JSON.parse keeps only the last, silently)', async (_where, text) => {
    expect(() => JSON.parse(text) as unknown).not.toThrow();
    const error = await refused(text, 'duplicate-key');
    expect(error.message).toMatch(/appears twice.*line 1, column \d+/);
  });

  it('invalid UTF-8 in an unrelated key (control: a UTF-8 decode would turn it into U+FFFD)', async () => {
    const bytes = Buffer.concat([Buffer.from('{"note": "caf'), Buffer.from([0xe9]), Buffer.from('", "auths": {}}')]);
    expect(bytes.toString('utf8')).toContain('\uFFFD');
    const error = await refused(bytes, 'not-utf8');
    expect(error.message).toContain('byte 13');
  });

  it('nesting deeper than 100 is refused with a clear error, even 100 000 deep; 100 levels are fine (control)', async () => {
    const nest = (depth: number) => `{"auths": {}, "x": ${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
    await refused(nest(101), 'too-deep');
    const error = await refused(`{"x": ${'['.repeat(100_000)}`, 'too-deep');
    expect(error.message).toContain('deeper than 100 levels');
    const path = join(await dirs.make(), 'auth.json');
    await writeFile(path, nest(100));
    await writeContainersAuth(token, { authFile: path });
    expect(await readFile(path, 'utf8')).toContain(`"x": ${'['.repeat(99)}`);
  });

  it('a long string value (4 MiB) parses', () => {
    const text = `{"blob": "${'a\\n'.repeat(2 * 1024 * 1024)}"}`;
    expect((parseAuthFile(text, 'f').document['blob'] as string).length).toBe(4 * 1024 * 1024);
  });
});
