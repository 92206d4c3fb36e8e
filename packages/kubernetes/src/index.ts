/**
 * `@ecr-auth/kubernetes`: the `ecr-auth-credential-provider` executable (the kubelet's image credential
 * provider protocol, answered from the token cache that `ecr-auth` and `docker-credential-ecr-auth` share),
 * the pieces it is made of, and pull-secret manifests.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { parseCredentialProviderRequest, matchesImage } from '@ecr-auth/kubernetes';
 *
 * const request = parseCredentialProviderRequest(readFileSync(0, 'utf8')); // the kubelet's request on stdin
 * matchesImage('*.dkr.ecr.*.amazonaws.com', request.image); // would the kubelet send this image to the provider?
 * ```
 *
 * @packageDocumentation
 */
export { CredentialProviderError } from './errors.js';
export type { CredentialProviderErrorCode } from './errors.js';
export { parseCredentialProviderRequest, imageRegistry, CREDENTIAL_PROVIDER_API_VERSIONS, MAX_REQUEST_BYTES } from './request.js';
export type { CredentialProviderRequest, CredentialProviderApiVersion } from './request.js';
export { credentialProviderResponse, cacheDurationSeconds, goDuration } from './response.js';
export type { CredentialProviderResponse, TokenLife } from './response.js';
export { matchesImage } from './match-images.js';
export { serviceAccountRole, serviceAccountEnv, ROLE_ANNOTATION, ROLE_SESSION_NAME } from './service-account.js';
export type { ServiceAccountRole } from './service-account.js';
// The pull-secret builder is the one `ecr-auth kubernetes-secret` uses, re-exported for Kubernetes tooling.
export { pullSecret } from '@ecr-auth/cli';
export type { PullSecret, PullSecretCredentials } from '@ecr-auth/cli';
export { SAMPLE_CREDENTIAL_PROVIDER_CONFIG } from './sample-config.js';
