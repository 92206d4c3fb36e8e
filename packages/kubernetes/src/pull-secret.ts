/**
 * Pull secrets: the `kubernetes.io/dockerconfigjson` Secret of `ecr-auth kubernetes-secret`, as a library
 * function (for a controller that writes Secrets through the Kubernetes API, or a program that prints them).
 *
 * STOP-GAP: the canonical builder is `pullSecret` in `@ecr-auth/cli` (`packages/cli/src/kubernetes-secret.ts`,
 * the command's module), which `@ecr-auth/cli` does not export yet. This package depends on `@ecr-auth/cli`
 * (for `TokenSource`), so the CLI cannot depend on this package; once `@ecr-auth/cli` exports `pullSecret`,
 * `PullSecret` and `PullSecretCredentials`, replace this module by a re-export. Until then
 * `test/pull-secret.test.ts` checks that both give the same Secret, byte for byte.
 *
 * @module
 */

/**
 * One registry's credentials in a pull secret.
 *
 * @example
 * ```ts
 * const entry: PullSecretCredentials = { registry: token.registry, username: token.username, password: token.revealPassword() };
 * ```
 */
export interface PullSecretCredentials {
  /** The registry host (the `auths` key). */
  registry: string;
  /** The user name (`AWS` for ECR). */
  username: string;
  /** The password. */
  password: string;
}

/**
 * A `kubernetes.io/dockerconfigjson` Secret, as `kubectl` prints it.
 *
 * @example
 * ```ts
 * const secret: PullSecret = pullSecret({ name: 'ecr-pull', credentials: [entry] });
 * ```
 */
export interface PullSecret {
  /** `v1`. */
  apiVersion: 'v1';
  /** `Secret`. */
  kind: 'Secret';
  /** Name and namespace. */
  metadata: {
    /** The Secret's name. */
    name: string;
    /** Its namespace; absent: kubectl's current one. */
    namespace?: string;
  };
  /** `kubernetes.io/dockerconfigjson`. */
  type: 'kubernetes.io/dockerconfigjson';
  /** `.dockerconfigjson`: base64 of `{"auths":{...}}`. */
  data: {
    /** Base64 of `{"auths":{"<host>":{"username","password","auth"}}}`. */
    '.dockerconfigjson': string;
  };
}

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** JSON as Go's `encoding/json` writes it (kubectl's): `<`, `>`, `&`, U+2028 and U+2029 escaped. */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Builds a pull Secret: one `auths` entry (`username`, `password`, `auth`) per registry, exactly as
 * `kubectl create secret docker-registry` writes it.
 *
 * @example
 * ```ts
 * import { getToken } from 'ecr-auth';
 * import { pullSecret } from '@ecr-auth/kubernetes';
 *
 * const token = await getToken('123456789012.dkr.ecr.us-east-1.amazonaws.com');
 * const secret = pullSecret({ name: 'ecr', namespace: 'apps', credentials: [{ registry: token.registry, username: token.username, password: token.revealPassword() }] });
 * ```
 *
 * @param options - the Secret's name, its namespace (optional) and the credentials.
 * @returns the Secret object.
 * @throws `TypeError` for a name or namespace Kubernetes would refuse, or no credentials.
 */
export function pullSecret(options: { name: string; namespace?: string | undefined; credentials: readonly PullSecretCredentials[] }): PullSecret {
  if (!DNS_SUBDOMAIN.test(options.name)) throw new TypeError(`--name ${JSON.stringify(options.name)} is not a valid Secret name (lower-case DNS subdomain)`);
  if (options.namespace !== undefined && !DNS_LABEL.test(options.namespace)) {
    throw new TypeError(`--namespace ${JSON.stringify(options.namespace)} is not a valid namespace (lower-case DNS label)`);
  }
  if (options.credentials.length === 0) throw new TypeError('a pull secret needs at least one registry');
  const auths: Record<string, { username: string; password: string; auth: string }> = {};
  for (const { registry, username, password } of options.credentials) {
    auths[registry] = { username, password, auth: Buffer.from(`${username}:${password}`, 'utf8').toString('base64') };
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: options.name, ...(options.namespace !== undefined && { namespace: options.namespace }) },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(goJson({ auths }), 'utf8').toString('base64') },
  };
}
