// How the SDK is loaded: a package that is not installed is a typed SdkMissingError naming it; a missing
// dependency of it, or any other failure, is rethrown as is; a CommonJS module handed over as `default` is
// unwrapped.
import { describe, expect, it } from 'vitest';
import { SdkMissingError } from './errors.js';
import { load, loadEcrModule, loadEcrPublicModule } from './sdk-loader.js';

const NAME = '@aws-sdk/client-ecr';
const failing = (error: unknown) => () => Promise.reject(error);
const notFound = (code: string, message: unknown) => Object.assign(new Error(), { code, message });

describe('load', () => {
  it('turns "this package is not found" (ESM or CommonJS) into SdkMissingError, keeping the cause', async () => {
    for (const [code, message] of [
      ['ERR_MODULE_NOT_FOUND', `Cannot find package '${NAME}' imported from /app/index.js`],
      ['MODULE_NOT_FOUND', `Cannot find module '${NAME}'\nRequire stack:\n- /app/index.cjs`],
    ] as const) {
      const cause = notFound(code, message);
      const error = await load(NAME, 'ECRClient', failing(cause)).catch((e: unknown) => e);
      expect(error, code).toBeInstanceOf(SdkMissingError);
      expect((error as SdkMissingError).packageName).toBe(NAME);
      expect((error as SdkMissingError).cause).toBe(cause);
    }
  });

  it('rethrows anything else as is: another package missing, another code, no message, no object', async () => {
    const cases = [
      notFound('ERR_MODULE_NOT_FOUND', "Cannot find package '@smithy/core' imported from /app/node_modules/@aws-sdk/client-ecr/index.js"),
      notFound('ERR_UNKNOWN_FILE_EXTENSION', `${NAME}: unknown extension`),
      notFound('ERR_MODULE_NOT_FOUND', undefined),
      Object.assign(new SyntaxError(`Unexpected token in ${NAME}`), { code: undefined }),
      null,
      `${NAME} not found`,
    ];
    for (const cause of cases) {
      const error = await load(NAME, 'ECRClient', failing(cause)).catch((e: unknown) => e);
      expect(error, String(cause)).toBe(cause);
    }
  });

  it('returns the module, or its default export when only that carries the named export', async () => {
    const named = { ECRClient: class {} };
    expect(await load(NAME, 'ECRClient', () => Promise.resolve(named))).toBe(named);
    expect(await load(NAME, 'ECRClient', () => Promise.resolve({ default: named }))).toBe(named);
  });
});

describe('loadEcrModule / loadEcrPublicModule', () => {
  it('load the installed clients once', async () => {
    const ecr = await loadEcrModule();
    expect(typeof ecr.ECRClient).toBe('function');
    expect(await loadEcrModule()).toBe(ecr);
    const ecrPublic = await loadEcrPublicModule();
    expect(typeof ecrPublic.ECRPUBLICClient).toBe('function');
    expect(await loadEcrPublicModule()).toBe(ecrPublic);
  });
});
