// The API reference's promises (test-support/api-tags.ts): an `@example` on every exported function and
// class of every package, and a `@defaultValue` on every property whose doc states a default.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { missingTags, STATES_DEFAULT } from '../test-support/api-tags.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

describe('the API reference', () => {
  it('has an @example on every exported function and class, and a @defaultValue on every stated default', () => {
    const missing = missingTags(root).map((entry) => `${entry.at}: ${entry.where} needs ${entry.missing}`);
    expect(missing.join('\n')).toBe('');
  }, 60_000);

  it('recognises the ways a doc states a default', () => {
    for (const text of ['Default: 100.', 'Default 10 000.', 'Default `true`.', '`127.0.0.1` by default', 'defaults to `x`', '1 when omitted', 'Default a tab']) expect(text).toMatch(STATES_DEFAULT);
    for (const text of ['with the default credentials', "the SDK's default chain", 'Default region for requests']) expect(text).not.toMatch(STATES_DEFAULT);
  });
});
