// Loaded with `node --import <this file>`: reports every module URL the process loads, one per line on
// stderr prefixed `LOADED `, so that tests can prove what an import does (not) pull in.
import { register } from 'node:module';

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
