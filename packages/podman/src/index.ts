export { resolvePodmanAuthPath, toPodmanAuthDocument, writePodmanAuth, removePodmanAuth } from './auth-file.js';
export { podmanLogin } from './login.js';
export type { PodmanLoginOptions } from './login.js';
