// `node --import <this file>` registers ts-loader-hooks.mjs (see there).
import { register } from 'node:module';

register('./ts-loader-hooks.mjs', import.meta.url);
