export { resolveBuildahAuthPath, toBuildahAuthDocument, writeBuildahAuth, removeBuildahAuth } from './auth-file.js';
export { buildahLogin } from './login.js';
export type { BuildahLoginOptions } from './login.js';
