// translateNetworkError names what went wrong below HTTP: an untrusted certificate (whose: the endpoint's or the
// TLS proxy's, and which CAs were trusted) and a proxy that cannot be reached; everything else is left to the
// generic classification. The middleware puts the translation innermost on a client.
import { describe, expect, it } from 'vitest';
import { EcrAuthError, NetworkError } from './errors.js';
import { addNetworkErrorMiddleware, translateNetworkError } from './network-errors.js';
import { parseProxyUrl, type ProxyChoice } from './proxy-env.js';

const CERTIFICATE_CODES = [
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED', 'ERR_TLS_CERT_ALTNAME_INVALID',
];
const CONNECT_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE'];
const API = { protocol: 'https:', hostname: 'api.ecr.us-east-1.amazonaws.com', port: 443 };
const coded = (code: unknown, message: unknown = 'socket said no'): Error => Object.assign(new Error(), { code, message });
const direct = { proxyFor: () => undefined, ca: undefined };
const via = (proxy: ProxyChoice) => ({ proxyFor: () => proxy, ca: undefined });
const HTTP_PROXY = parseProxyUrl('http://user:secret@proxy.internal:3128', 'HTTPS_PROXY');
const TLS_PROXY = parseProxyUrl('https://proxy.internal:3129', 'the proxy option');
const REMEDY =
  "If a proxy or your network inspects TLS with its own CA, point AWS_CA_BUNDLE (or ca_bundle in the AWS config file, or the caBundle option) at that CA's PEM file";

describe('translateNetworkError', () => {
  it('leaves alone what is not a coded Node error', () => {
    for (const error of [undefined, null, 'CERT_HAS_EXPIRED', 42, new Error('no code'), coded(42), new EcrAuthError('ECR_AUTH_NETWORK', 'typed')]) {
      expect(translateNetworkError(error, API, via(HTTP_PROXY))).toBeUndefined();
    }
  });

  it('names an untrusted certificate, the CAs trusted and the remedy; never retried', () => {
    const error = coded('CERT_HAS_EXPIRED', 'certificate has expired\nat TLSSocket');
    const typed = translateNetworkError(error, API, direct);
    expect(typed).toBeInstanceOf(NetworkError);
    expect(typed?.message).toBe(
      `ecr-auth: the TLS certificate of api.ecr.us-east-1.amazonaws.com is not trusted (CERT_HAS_EXPIRED: certificate has expired); trusted are Node's default CAs. ${REMEDY}`,
    );
    expect(typed).toMatchObject({ code: 'ECR_AUTH_NETWORK', awsErrorCode: 'CERT_HAS_EXPIRED', retryable: false });
    expect(typed?.cause).toBe(error);
    const withCa = translateNetworkError(error, API, { proxyFor: () => undefined, ca: { source: 'AWS_CA_BUNDLE (/etc/ca.pem)', added: [], nodeExtra: [] } });
    expect(withCa?.message).toContain("trusted are Node's default CAs and AWS_CA_BUNDLE (/etc/ca.pem). If a proxy");
    for (const code of CERTIFICATE_CODES) expect(translateNetworkError(coded(code), API, direct), code).toBeInstanceOf(NetworkError);
    // Negative control: another TLS failure is not a certificate problem.
    expect(translateNetworkError(coded('EPROTO'), API, direct)).toBeUndefined();
  });

  it('says the certificate may be the TLS proxy’s, or can only be, for a plain-HTTP target', () => {
    expect(translateNetworkError(coded('SELF_SIGNED_CERT_IN_CHAIN'), API, via(TLS_PROXY))?.message).toContain(
      'the TLS certificate of api.ecr.us-east-1.amazonaws.com or of the proxy https://proxy.internal:3129 is not trusted',
    );
    expect(translateNetworkError(coded('SELF_SIGNED_CERT_IN_CHAIN'), { protocol: 'http:', hostname: '127.0.0.1', port: 4566 }, via(TLS_PROXY))?.message).toContain(
      'the TLS certificate of the proxy https://proxy.internal:3129 is not trusted',
    );
    // An http:// proxy has no certificate: the endpoint's it is.
    expect(translateNetworkError(coded('SELF_SIGNED_CERT_IN_CHAIN'), API, via(HTTP_PROXY))?.message).toContain(
      'the TLS certificate of api.ecr.us-east-1.amazonaws.com is not trusted',
    );
  });

  it('blames the proxy for a socket failure through it, naming where the setting came from, never its password', () => {
    const typed = translateNetworkError(coded('ECONNREFUSED'), { ...API, port: 8443 }, via(HTTP_PROXY));
    expect(typed?.message).toBe(
      'ecr-auth: could not reach api.ecr.us-east-1.amazonaws.com:8443 through the proxy http://proxy.internal:3128 (from HTTPS_PROXY): ECONNREFUSED. ' +
        'Check that the proxy runs at that address, fix or unset HTTPS_PROXY, or add the host to NO_PROXY',
    );
    expect(typed).toMatchObject({ awsErrorCode: 'ECONNREFUSED', retryable: true });
    for (const code of CONNECT_CODES) expect(translateNetworkError(coded(code), API, via(HTTP_PROXY)), code).toBeInstanceOf(NetworkError);
    // Negative controls: the same failure without a proxy, and another code through one, are left alone.
    expect(translateNetworkError(coded('ECONNREFUSED'), API, direct)).toBeUndefined();
    expect(translateNetworkError(coded('EPROTO'), API, via(HTTP_PROXY))).toBeUndefined();
    // A proxy setting that does not parse counts as none here (it is reported where the proxy is chosen).
    const broken = { proxyFor: () => { throw new Error('bad proxy'); }, ca: undefined };
    expect(translateNetworkError(coded('ECONNREFUSED'), API, broken)).toBeUndefined();
  });

  it('names the target as host[:port], brackets IPv6, defaults to https, and says "ECR" without a host', () => {
    const where = (request: object) => translateNetworkError(coded('CERT_REJECTED'), request, direct)?.message.replace(/^ecr-auth: the TLS certificate of (.*) is not trusted.*$/s, '$1');
    expect(where({ hostname: 'api.ecr.eu-west-1.amazonaws.com' })).toBe('api.ecr.eu-west-1.amazonaws.com');
    expect(where({ hostname: 'api.ecr.eu-west-1.amazonaws.com', port: 8443 })).toBe('api.ecr.eu-west-1.amazonaws.com:8443');
    expect(where({ protocol: 'http:', hostname: 'localhost', port: 80 })).toBe('localhost');
    expect(where({ protocol: 'http:', hostname: 'localhost', port: 443 })).toBe('localhost:443');
    expect(where({ hostname: '::1', port: 4566 })).toBe('[::1]:4566');
    expect(where({ hostname: '[::1]', port: 4566 })).toBe('[::1]:4566');
    expect(where({})).toBe('ECR');
    expect(where({ hostname: '' })).toBe('ECR');
    expect(where({ hostname: 'bad host name', port: 1 })).toBe('ECR');
  });

  it('shows only the first line of the message, without URL credentials, cut at 300 characters', () => {
    const message = (text: unknown) => translateNetworkError(coded('CERT_REJECTED', text), API, direct)?.message ?? '';
    expect(message('line one\nline two')).toContain('(CERT_REJECTED: line one);');
    expect(message('via https://user:pw@proxy.internal:3128/x?sig=abc')).toContain('(CERT_REJECTED: via https://proxy.internal:3128/x);');
    expect(message('x'.repeat(400))).toContain(`(CERT_REJECTED: ${'x'.repeat(300)});`);
    expect(message(null)).toContain('(CERT_REJECTED: );');
  });
});

describe('addNetworkErrorMiddleware', () => {
  type Handler = (args: { request?: object }) => Promise<unknown>;
  function install(setup: Parameters<typeof addNetworkErrorMiddleware>[1]) {
    let added: { middleware: (next: Handler) => Handler; options: unknown } | undefined;
    const client = { middlewareStack: { add: (middleware: (next: Handler) => Handler, options: unknown) => void (added = { middleware, options }) } };
    addNetworkErrorMiddleware(client as never, setup);
    if (!added) throw new Error('no middleware added');
    return added;
  }

  it('is added innermost in the deserialize step', () => {
    expect(install(direct).options).toStrictEqual({ step: 'deserialize', name: 'ecrAuthNetworkErrors', priority: 'low' });
  });

  it('passes results and untranslated errors through, and throws the typed error for the others', async () => {
    const { middleware } = install(via(HTTP_PROXY));
    expect(await middleware(() => Promise.resolve('ok'))({ request: API })).toBe('ok');
    const other = coded('EPROTO');
    await expect(middleware(() => Promise.reject(other))({ request: API })).rejects.toBe(other);
    const typed = await middleware(() => Promise.reject(coded('ECONNRESET')))({ request: API }).catch((e: unknown) => e);
    expect(typed).toBeInstanceOf(NetworkError);
    expect((typed as Error).message).toContain('through the proxy http://proxy.internal:3128');
    // Without a request to look at, the target is "ECR" and no proxy is asked for.
    const unknown = await middleware(() => Promise.reject(coded('CERT_REJECTED')))({}).catch((e: unknown) => e);
    expect((unknown as Error).message).toContain('the TLS certificate of ECR is not trusted');
  });
});
