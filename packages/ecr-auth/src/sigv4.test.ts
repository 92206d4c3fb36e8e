// signRootPost against the AWS SDK's own signer (@smithy/signature-v4) as the oracle: the same request, time and
// credentials must give the same Authorization header, byte for byte, and a change to any signed part must change
// it (the comparison's negative control).
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { amzDate, signRootPost, type SigningCredentials } from './sigv4.js';

type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Exclude<Data, string>): Buffer => (data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength));

/** The SDK's hash interface over Node's crypto (what @smithy/hash-node does). */
class Sha256 {
  readonly #hash;
  constructor(secret?: Data) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', typeof secret === 'string' ? secret : bytes(secret));
  }
  update(data: Data): void {
    this.#hash.update(typeof data === 'string' ? data : bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }
}

const TARGET_HEADERS = { 'content-type': 'application/x-amz-json-1.1', 'content-length': '2', 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken' };

async function sdkAuthorization(host: string, headers: Record<string, string>, body: string, credentials: SigningCredentials, region: string, epochMs: number): Promise<string> {
  const { sessionToken, ...keys } = credentials;
  const signer = new SignatureV4({ service: 'ecr', region, credentials: { ...keys, ...(sessionToken !== undefined && { sessionToken }) }, sha256: Sha256, uriEscapePath: true, applyChecksum: false });
  const [hostname, port] = host.split(':');
  const signed = await signer.sign(
    { method: 'POST', protocol: 'https:', hostname: hostname ?? host, ...(port && { port: Number(port) }), path: '/', query: {}, headers: { ...headers, host }, body },
    { signingDate: new Date(epochMs) },
  );
  return String(signed.headers['authorization']);
}

const CASES = [
  { name: 'long-term keys, us-east-1', host: 'api.ecr.us-east-1.amazonaws.com', region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }, at: Date.UTC(2026, 10, 27, 22, 30, 5) },
  { name: 'a session token, China', host: 'api.ecr.cn-north-1.amazonaws.com.cn', region: 'cn-north-1', credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'c2VjcmV0', sessionToken: 'FwoGZXIvYXdzEJr//////////wEaDOEXAMPLE' }, at: Date.UTC(2027, 0, 1, 0, 0, 0) },
  { name: 'an endpoint with a port, GovCloud', host: '127.0.0.1:4566', region: 'us-gov-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret with spaces' }, at: Date.UTC(2026, 1, 28, 23, 59, 59, 999) },
];

describe('signRootPost', () => {
  it.each(CASES)('signs as the AWS SDK does: $name', async ({ host, region, credentials, at }) => {
    const headers = signRootPost({ host, headers: TARGET_HEADERS, body: '{}' }, credentials, { region, service: 'ecr' }, at);
    expect(headers['authorization']).toBe(await sdkAuthorization(host, TARGET_HEADERS, '{}', credentials, region, at));
    expect(headers['x-amz-date']).toBe(amzDate(at));
    expect(headers['host']).toBe(host);
    expect(headers['x-amz-security-token']).toBe('sessionToken' in credentials ? credentials.sessionToken : undefined);
    expect(headers['x-amz-target']).toBe(TARGET_HEADERS['x-amz-target']);
  });

  it('signs every part: the body, a header, the host, the region, the time, the secret (each changes the signature)', async () => {
    const { host, region, credentials, at } = CASES[0]!;
    const sign = (changes: { host?: string; region?: string; at?: number; secret?: string; body?: string; target?: string }) =>
      signRootPost(
        { host: changes.host ?? host, headers: { ...TARGET_HEADERS, 'x-amz-target': changes.target ?? TARGET_HEADERS['x-amz-target'] }, body: changes.body ?? '{}' },
        { ...credentials, secretAccessKey: changes.secret ?? credentials.secretAccessKey },
        { region: changes.region ?? region, service: 'ecr' },
        changes.at ?? at,
      )['authorization'];
    const base = sign({});
    const variants = [sign({ body: '{ }' }), sign({ target: 'AmazonEC2ContainerRegistry_V20150921.DescribeImages' }), sign({ host: 'api.ecr.us-east-2.amazonaws.com' }), sign({ region: 'us-east-2' }), sign({ at: at + 1000 }), sign({ secret: 'other' })];
    for (const variant of variants) expect(variant).not.toBe(base);
    expect(new Set(variants).size).toBe(variants.length);
    // The oracle tells them apart too: a wrong body no longer matches what the SDK signs for '{}'.
    expect(sign({ body: '{ }' })).not.toBe(await sdkAuthorization(host, TARGET_HEADERS, '{}', credentials, region, at));
  });

  it('folds and trims header values as SigV4 asks, as the SDK does', async () => {
    const { host, region, credentials, at } = CASES[0]!;
    const headers = { ...TARGET_HEADERS, 'x-custom': '  a   b  ' };
    const ours = signRootPost({ host, headers, body: '{}' }, credentials, { region, service: 'ecr' }, at)['authorization'];
    expect(ours).toBe(await sdkAuthorization(host, headers, '{}', credentials, region, at));
    expect(ours).toContain('SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target;x-custom,');
  });

  it('writes the time as AWS does, in UTC, without milliseconds', () => {
    expect(amzDate(Date.UTC(2026, 10, 27, 9, 5, 3, 456))).toBe('20261127T090503Z');
  });
});
