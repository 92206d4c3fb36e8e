export { AuthorizationToken } from './token.js';
export type { AuthorizationTokenInit, RegistryKind } from './token.js';
export { decodeAuthorizationToken, encodeAuthorizationToken, MAX_TOKEN_LENGTH } from './decode.js';
export type { DecodedCredentials } from './decode.js';
export { parseRegistry, isEcrRegistry, registryHost, partitionDnsSuffix, ECR_PUBLIC_HOSTS, ECR_PUBLIC_REGION } from './registry.js';
export type { ParsedRegistry } from './registry.js';
export { EcrTokenProvider } from './provider.js';
export { effectiveMargins, DEFAULT_EXPIRY_MARGINS } from './margins.js';
export type { ExpiryMargins, EffectiveMargins } from './margins.js';
export type { EcrTokenProviderOptions, CacheOptions, GetTokenOptions } from './provider.js';
export type { TokenRequest } from './request.js';
export type { RetryOptions } from './retry-options.js';
export type { CredentialsInput } from './client-types.js';
export type { EcrAuthLogger } from './logger.js';
export { getToken } from './get-token.js';
export {
  EcrAuthError,
  TokenDecodeError,
  RegistryParseError,
  InvalidOptionError,
  EcrApiError,
  AccessDeniedError,
  CredentialsError,
  ThrottlingError,
  NetworkError,
  TokenExpiredError,
  AbortedError,
  SdkMissingError,
  REQUIRED_ACTIONS,
} from './errors.js';
export type { EcrAuthErrorCode, EcrAuthErrorOptions, EcrApiErrorDetails } from './errors.js';
