/**
 * Names what went wrong below HTTP, where the generic classification cannot: a proxy that cannot be reached,
 * and a TLS certificate that is not trusted. Installed as SDK middleware on the clients `ecr-auth` creates,
 * next to the request handler, so the typed error is what the fetch sees.
 *
 * @module
 */
import type { DeserializeMiddleware, MiddlewareStack } from '@aws-sdk/types';
import { scrubUrls } from './display-url.js';
import { EcrAuthError, NetworkError } from './errors.js';
import type { ProxyChoice } from './proxy-env.js';
import type { NetworkSetup } from './request-handler.js';

/** Node's and OpenSSL's codes for a certificate the client does not accept. */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Codes of a connection that could not be opened (or was dropped) at the socket level. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** Where a request went, as the SDK's HTTP request describes it. */
export interface RequestTarget {
  protocol?: string;
  hostname?: string;
  port?: number | undefined;
}

function targetUrl(request: RequestTarget): URL | undefined {
  if (!request.hostname) return undefined;
  const host = request.hostname.includes(':') && !request.hostname.startsWith('[') ? `[${request.hostname}]` : request.hostname;
  return URL.parse(`${request.protocol ?? 'https:'}//${host}${request.port ? `:${request.port}` : ''}`) ?? undefined;
}

function firstLine(message: unknown): string {
  return scrubUrls(String(message ?? '').split('\n')[0] ?? '').slice(0, 300);
}

/**
 * A typed error for a proxy or certificate failure, or `undefined` to leave the error to the generic
 * classification.
 *
 * @param error - what the HTTP handler threw.
 * @param request - where the request was going.
 * @param setup - the proxy and CA set-up of the client.
 */
export function translateNetworkError(error: unknown, request: RequestTarget, setup: Pick<NetworkSetup, 'proxyFor' | 'ca'>): EcrAuthError | undefined {
  if (error instanceof EcrAuthError || typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string') return undefined;
  const url = targetUrl(request);
  const where = url ? url.host : 'ECR';
  let proxy: ProxyChoice | undefined;
  try {
    proxy = url && setup.proxyFor(url);
  } catch {
    proxy = undefined;
  }
  const details = { cause: error, awsErrorCode: code };
  if (CERTIFICATE_CODES.has(code)) {
    const trust = setup.ca ? `Node's default CAs and ${setup.ca.source}` : "Node's default CAs";
    // Through an https:// proxy the certificate may be the proxy's: for a plain-HTTP target it can only be.
    const tlsProxy = proxy?.url.protocol === 'https:' ? proxy.display : undefined;
    // Stryker disable next-line OptionalChaining: a TLS proxy is only ever chosen for a URL, so url is set here
    const whose = !tlsProxy ? where : url?.protocol === 'http:' ? `the proxy ${tlsProxy}` : `${where} or of the proxy ${tlsProxy}`;
    return new NetworkError(
      'ECR_AUTH_NETWORK',
      `the TLS certificate of ${whose} is not trusted (${code}: ${firstLine(message)}); trusted are ${trust}. ` +
        'If a proxy or your network inspects TLS with its own CA, point AWS_CA_BUNDLE (or ca_bundle in the AWS config ' +
        "file, or the caBundle option) at that CA's PEM file",
      { ...details, retryable: false },
    );
  }
  // Through a proxy, every socket-level failure is the proxy's: the client never connects to the target itself.
  if (proxy && CONNECT_CODES.has(code)) {
    return new NetworkError(
      'ECR_AUTH_NETWORK',
      `could not reach ${where} through the proxy ${proxy.display} (from ${proxy.source}): ${code}. ` +
        `Check that the proxy runs at that address, fix or unset ${proxy.source}, or add the host to NO_PROXY`,
      { ...details, retryable: true },
    );
  }
  return undefined;
}

/**
 * Adds the translation to an SDK client, innermost, right around its request handler.
 *
 * @param client - a client `ecr-auth` created.
 * @param setup - its proxy and CA set-up.
 */
export function addNetworkErrorMiddleware<I extends object, O extends object>(
  client: { middlewareStack: MiddlewareStack<I, O> },
  setup: Pick<NetworkSetup, 'proxyFor' | 'ca'>,
): void {
  const middleware: DeserializeMiddleware<I, O> = (next) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      throw translateNetworkError(error, (args.request ?? {}) as RequestTarget, setup) ?? error;
    }
  };
  client.middlewareStack.add(middleware, { step: 'deserialize', name: 'ecrAuthNetworkErrors', priority: 'low' });
}
