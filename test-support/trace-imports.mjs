// Loaded with `node --import <this file>`: reports every module the process loads, ES modules through a
// loader hook and CommonJS ones through `require`, one per line on stderr prefixed `LOADED `, so that tests
// can prove what an import does (not) pull in.
import { writeSync } from 'node:fs';
import Module, { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
      import { writeSync } from 'node:fs';
      export async function load(url, context, next) {
        writeSync(2, 'LOADED ' + url + '\\n');
        return next(url, context);
      }
    `),
);

const load = Module._load;
Module._load = function tracedLoad(request, parent, isMain) {
  try {
    writeSync(2, `LOADED ${Module._resolveFilename(request, parent, isMain)}\n`);
  } catch {
    writeSync(2, `LOADED ${request}\n`);
  }
  return load.call(this, request, parent, isMain);
};
