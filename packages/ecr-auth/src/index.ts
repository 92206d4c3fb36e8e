export { AuthorizationToken } from './token.js';
export type { AuthorizationTokenInit, RegistryKind } from './token.js';
export { EcrAuthError, TokenDecodeError, RegistryParseError, InvalidOptionError } from './errors.js';
export type { EcrAuthErrorCode, EcrAuthErrorOptions } from './errors.js';
