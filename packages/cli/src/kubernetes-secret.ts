/**
 * `ecr-auth kubernetes-secret`: a `kubernetes.io/dockerconfigjson` Secret for `kubectl apply -f -`, whose
 * `.dockerconfigjson` holds the entries `kubectl create secret docker-registry` writes (`username`,
 * `password`, `auth`), byte for byte (Go's JSON escaping included). The builders are pure; the command
 * only gets the tokens and prints.
 *
 * @module
 */
import type { AuthorizationToken } from 'ecr-auth';
import { UsageError } from './exit-codes.js';
import type { TextSink } from './main.js';

/** One registry's credentials in a pull secret. */
export interface PullSecretCredentials {
  /** The registry host (the `auths` key). */
  registry: string;
  /** The user name (`AWS` for ECR). */
  username: string;
  /** The password. */
  password: string;
}

/** A `kubernetes.io/dockerconfigjson` Secret, as `kubectl` prints it. */
export interface PullSecret {
  /** `v1`. */
  apiVersion: 'v1';
  /** `Secret`. */
  kind: 'Secret';
  /** Name and namespace. */
  metadata: {
    /** The Secret's name (a DNS subdomain). */
    name: string;
    /** Its namespace; absent: the one `kubectl` is pointed at. */
    namespace?: string;
  };
  /** `kubernetes.io/dockerconfigjson`. */
  type: 'kubernetes.io/dockerconfigjson';
  /** The Secret's data. */
  data: {
    /** Base64 of `{"auths":{"<registry>":{"username","password","auth"}}}`. */
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
 * Builds the Secret: one `auths` entry per registry, as `kubectl create secret docker-registry` writes it.
 *
 * @example
 * ```ts
 * const secret = pullSecret({ name: 'ecr', namespace: 'apps', credentials: [{ registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com', username: 'AWS', password }] });
 * // { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ecr', namespace: 'apps' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': 'eyJhdXRocyI6…' } }
 * ```
 *
 * @param options - the Secret's name, its namespace (optional: kubectl's current one) and the credentials.
 * @returns the Secret object.
 * @throws `UsageError` for a name or namespace Kubernetes would refuse, or no credentials.
 */
export function pullSecret(options: { name: string; namespace?: string | undefined; credentials: readonly PullSecretCredentials[] }): PullSecret {
  if (!DNS_SUBDOMAIN.test(options.name)) throw new UsageError(`--name ${JSON.stringify(options.name)} is not a valid Secret name (lower-case DNS subdomain)`);
  if (options.namespace !== undefined && !DNS_LABEL.test(options.namespace)) {
    throw new UsageError(`--namespace ${JSON.stringify(options.namespace)} is not a valid namespace (lower-case DNS label)`);
  }
  if (options.credentials.length === 0) throw new UsageError('a pull secret needs at least one registry');
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

/**
 * The Secret as text for `kubectl apply -f -`: JSON, or YAML (every scalar double-quoted, so no value is
 * read as anything but a string).
 *
 * @example
 * ```ts
 * process.stdout.write(pullSecretText(secret, 'yaml'));
 * ```
 *
 * @param secret - see {@link pullSecret}.
 * @param format - `json` or `yaml`.
 * @returns the text, ending with a newline.
 */
export function pullSecretText(secret: PullSecret, format: 'json' | 'yaml'): string {
  if (format === 'json') return `${JSON.stringify(secret, null, 2)}\n`;
  const q = (value: string) => JSON.stringify(value);
  const lines = ['apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${q(secret.metadata.name)}`];
  if (secret.metadata.namespace !== undefined) lines.push(`  namespace: ${q(secret.metadata.namespace)}`);
  lines.push(`type: ${secret.type}`, 'data:', `  .dockerconfigjson: ${q(secret.data['.dockerconfigjson'])}`);
  return `${lines.join('\n')}\n`;
}

/** What the command needs from `main`. */
export interface KubernetesSecretCommand {
  /** The registries (none: the caller's own). */
  registries: readonly string[];
  /** `--name`. */
  name: string | undefined;
  /** `--namespace`. */
  namespace: string | undefined;
  /** `--output`. */
  output: string | undefined;
  /** Gets the tokens, addressed to the registries (through the persistent cache). */
  tokens: (registries: readonly (string | undefined)[]) => Promise<readonly AuthorizationToken[]>;
  /** Where the manifest goes. */
  stdout: TextSink;
}

/**
 * Runs `ecr-auth kubernetes-secret [REGISTRY...] --name NAME [--namespace NS] [--output json|yaml]`.
 *
 * @param command - see {@link KubernetesSecretCommand}.
 * @returns exit code 0.
 * @throws `UsageError` for missing or invalid options; the token errors of the registries.
 */
export async function kubernetesSecret(command: KubernetesSecretCommand): Promise<number> {
  if (command.name === undefined) throw new UsageError('kubernetes-secret needs --name NAME (the Secret to write)');
  const format = command.output ?? 'yaml';
  if (format !== 'json' && format !== 'yaml') throw new UsageError(`--output must be json or yaml, not ${JSON.stringify(format)}`);
  // Checked before any token is fetched.
  pullSecret({ name: command.name, namespace: command.namespace, credentials: [{ registry: 'x', username: 'x', password: 'x' }] });
  const tokens = await command.tokens(command.registries.length > 0 ? command.registries : [undefined]);
  const credentials = tokens.map((token) => ({ registry: token.registry, username: token.username, password: token.revealPassword() }));
  command.stdout.write(pullSecretText(pullSecret({ name: command.name, namespace: command.namespace, credentials }), format));
  return 0;
}
