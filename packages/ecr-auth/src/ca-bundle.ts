/**
 * Extra certificate authorities for HTTPS to AWS (a corporate TLS-inspecting proxy, a private endpoint): the
 * `caBundle` option, else `AWS_CA_BUNDLE`, else `ca_bundle` of the profile in use in the shared config file, as
 * the AWS CLI reads them. They are added to Node's default CAs (which include `NODE_EXTRA_CA_CERTS`), not put in
 * their place.
 *
 * @module
 */
import * as tls from 'node:tls';
import { readProfileSetting } from './aws-config-file.js';
import { InvalidOptionError } from './errors.js';
import { readText } from './read-text.js';

/** Extra CAs, and where they came from (for messages). */
export interface CaBundle {
  /**
   * The bundle's certificates that Node does not trust already (PEM), often none: machines commonly point
   * AWS_CA_BUNDLE and NODE_EXTRA_CA_CERTS at the same system file.
   */
  readonly added: readonly string[];
  /** `NODE_EXTRA_CA_CERTS`'s certificates (PEM), which a secure context built from scratch must keep. */
  readonly nodeExtra: readonly string[];
  /** `the caBundle option`, `AWS_CA_BUNDLE (/path)` or `ca_bundle of profile dev (/path)`. */
  readonly source: string;
}

/** What decides the CA bundle. */
export interface CaSettings {
  /** PEM text of one or more CA certificates; wins over the environment and the config file. */
  readonly caBundle?: string | Buffer | undefined;
  /** The profile whose `ca_bundle` is read; default `AWS_PROFILE`, then `default`. */
  readonly profile?: string | undefined;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** `NODE_EXTRA_CA_CERTS`'s certificates, which Node adds to its defaults (unreadable: none, as Node does). */
async function nodeExtraCas(env: NodeJS.ProcessEnv): Promise<string[]> {
  const path = env['NODE_EXTRA_CA_CERTS'];
  const text = path ? await readText(path).catch(() => '') : '';
  return text.match(PEM_CERTIFICATE) ?? [];
}

/** A certificate's PEM body without line breaks, to compare certificates. */
// Stryker disable next-line Regex: every certificate compared has the same BEGIN/END lines, so whether they are removed, and whether blanks go one by one or in runs, changes no comparison
const fingerprint = (pem: string): string => pem.replace(/-----[A-Z ]+-----|\s+/g, '');

function certificatesIn(pem: string, source: string): string[] {
  const found = pem.match(PEM_CERTIFICATE);
  if (!found) {
    throw new InvalidOptionError(`${source} holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the CA's certificate in PEM form`);
  }
  return found;
}

async function readBundle(path: string, source: string): Promise<string> {
  try {
    return await readText(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new InvalidOptionError(
      `${source} cannot be read (${typeof code === 'string' ? code : 'error'}); fix the path to the CA's PEM file or unset it`,
    );
  }
}

/**
 * The extra CAs in force, or `undefined` when none is configured.
 *
 * @param settings - the `caBundle` option and the profile.
 * @param env - the environment (default `process.env`).
 * @throws {@link InvalidOptionError} when the configured bundle cannot be read or holds no certificate.
 */
export async function loadCaBundle(settings: CaSettings, env: NodeJS.ProcessEnv = process.env): Promise<CaBundle | undefined> {
  let pem: string;
  let source: string;
  if (settings.caBundle !== undefined) {
    source = 'the caBundle option';
    // A Buffer's toString() is UTF-8; a string's is the string.
    pem = settings.caBundle.toString();
  } else if (env['AWS_CA_BUNDLE']?.trim()) {
    const path = env['AWS_CA_BUNDLE'].trim();
    source = `AWS_CA_BUNDLE (${path})`;
    // A common machine set-up (this project's CI included): both name the system bundle. Node trusts it already.
    if (path === env['NODE_EXTRA_CA_CERTS']?.trim()) return { added: [], nodeExtra: [], source };
    pem = await readBundle(path, source);
  } else {
    const fromProfile = await readProfileSetting('ca_bundle', settings.profile, env);
    if (!fromProfile) return undefined;
    source = `ca_bundle of profile ${fromProfile.profile} (${fromProfile.value})`;
    pem = await readBundle(fromProfile.value, source);
  }
  const nodeExtra = await nodeExtraCas(env);
  const known = new Set([...tls.rootCertificates, ...nodeExtra].map(fingerprint));
  const added = [...new Set(certificatesIn(pem, source))].filter((cert) => !known.has(fingerprint(cert)));
  return { added, nodeExtra, source };
}
