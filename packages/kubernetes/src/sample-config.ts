/**
 * Where the sample `CredentialProviderConfig` ships.
 *
 * @module
 */

/**
 * The sample kubelet `CredentialProviderConfig` (`kubelet.config.k8s.io/v1`) shipped in the package
 * (`examples/credential-provider-config.yaml`): `matchImages` for every partition and ECR Public.
 *
 * @example
 * ```ts
 * import { copyFileSync } from 'node:fs';
 * import { SAMPLE_CREDENTIAL_PROVIDER_CONFIG } from '@ecr-auth/kubernetes';
 *
 * copyFileSync(SAMPLE_CREDENTIAL_PROVIDER_CONFIG, '/etc/kubernetes/credential-provider/config.yaml');
 * ```
 */
export const SAMPLE_CREDENTIAL_PROVIDER_CONFIG: URL = new URL('../examples/credential-provider-config.yaml', import.meta.url);
