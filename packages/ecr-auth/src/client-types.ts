/**
 * The types a provider's options and requests name, apart from the clients that use them (sdk-clients.ts,
 * api-client.ts), so that the published declarations reach no internal module.
 *
 * @module
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { RegistryKind } from './token.js';

/** Static credentials or an SDK credentials provider, as every AWS SDK client accepts. */
export type CredentialsInput = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** What a token fetch needs to know about where to send it. */
export interface ClientTarget {
  kind: RegistryKind;
  region: string;
  fips: boolean;
  dualStack: boolean;
}
