/**
 * The TLS secure context for extra CAs, built on the first HTTPS connection that needs it. Node's defaults stay:
 * on Node the context starts from the default root store and the extra certificates are added to a copy of it
 * (about 1 ms for one CA); a runtime without that hook gets `ca: [defaults…, extra…]`, which parses every
 * default CA (about 85 ms with a 300-certificate system bundle, so it is the fallback only).
 *
 * @module
 */
import * as tls from 'node:tls';
import type { CaBundle } from './ca-bundle.js';

interface NativeContext {
  addCACert?: (pem: string) => void;
}

/**
 * A secure context that trusts Node's default CAs, `NODE_EXTRA_CA_CERTS` and the bundle's added certificates.
 *
 * @param bundle - the certificates to add.
 * @returns the context to give every TLS connection (`secureContext`).
 */
export function secureContextWith(bundle: Pick<CaBundle, 'added' | 'nodeExtra'>): tls.SecureContext {
  const context = tls.createSecureContext();
  const native = (context as { context?: NativeContext }).context;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,OptionalChaining,StringLiteral,BlockStatement: both ways trust the same CAs (the fallback is only slower)
  if (typeof native?.addCACert === 'function') {
    // The first addition replaces the shared default store with a copy of Node's bundled roots, without
    // NODE_EXTRA_CA_CERTS: add those back too.
    for (const pem of [...bundle.nodeExtra, ...bundle.added]) native.addCACert(pem);
    return context;
  }
  const getDefaults = (tls as { getCACertificates?: (type: 'default') => string[] }).getCACertificates;
  const defaults = typeof getDefaults === 'function' ? getDefaults('default') : [...tls.rootCertificates, ...bundle.nodeExtra];
  return tls.createSecureContext({ ca: [...defaults, ...bundle.added] });
}
