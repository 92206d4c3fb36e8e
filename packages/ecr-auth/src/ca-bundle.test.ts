// loadCaBundle: which CA bundle is in force (the option, AWS_CA_BUNDLE, the profile's ca_bundle), which of its
// certificates are added (only those Node does not trust already, however they are wrapped), and the errors that
// name the bundle's source.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCaBundle } from './ca-bundle.js';
import { InvalidOptionError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'ecr-auth-ca-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
/** A PEM block (the bundle logic compares text; it never parses the certificate). */
const pem = (body: string): string => `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,8}/g)?.join('\n')}\n-----END CERTIFICATE-----`;
const A = pem('AAAAaaaaAAAAaaaa1111');
const B = pem('BBBBbbbbBBBBbbbb2222');
/** The same certificate with other line breaks (CRLF, other widths, trailing blanks). */
const rewrapped = (certificate: string): string => {
  const body = certificate.replace(/-----[A-Z ]+-----|\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\r\n${body.match(/.{1,5}/g)?.join('  \r\n')}\r\n-----END CERTIFICATE-----`;
};
const trusted = rootCertificates[0] ?? '';

describe('loadCaBundle', () => {
  it('takes the caBundle option (text or Buffer), without duplicates, over the environment', async () => {
    const env = { AWS_CA_BUNDLE: file('env.pem', B) };
    expect(await loadCaBundle({ caBundle: `${A}\n${B}\n${A}\n` }, env)).toStrictEqual({ added: [A, B], nodeExtra: [], source: 'the caBundle option' });
    expect(await loadCaBundle({ caBundle: Buffer.from(A) }, env)).toStrictEqual({ added: [A], nodeExtra: [], source: 'the caBundle option' });
  });

  it('adds only the certificates Node does not trust already, whatever their line breaks', async () => {
    expect(trusted).toMatch(/BEGIN CERTIFICATE/);
    const bundle = await loadCaBundle({ caBundle: `${rewrapped(trusted)}\n${A}` }, {});
    expect(bundle?.added).toEqual([A]);
    // Negative control: the rewrapped text really differs from Node's.
    expect(rewrapped(trusted)).not.toBe(trusted);
  });

  it('counts NODE_EXTRA_CA_CERTS as trusted, and hands its certificates on', async () => {
    const env = { NODE_EXTRA_CA_CERTS: file('extra.pem', `${A}\n`) };
    expect(await loadCaBundle({ caBundle: `${rewrapped(A)}\n${B}` }, env)).toStrictEqual({ added: [B], nodeExtra: [A], source: 'the caBundle option' });
    // Unreadable, as Node treats it: none.
    expect(await loadCaBundle({ caBundle: A }, { NODE_EXTRA_CA_CERTS: join(dir, 'missing.pem') })).toStrictEqual({ added: [A], nodeExtra: [], source: 'the caBundle option' });
  });

  it('reads AWS_CA_BUNDLE (trimmed), and adds nothing when it names the NODE_EXTRA_CA_CERTS file', async () => {
    const path = file('aws.pem', `${A}\n`);
    expect(await loadCaBundle({}, { AWS_CA_BUNDLE: ` ${path} ` })).toStrictEqual({ added: [A], nodeExtra: [], source: `AWS_CA_BUNDLE (${path})` });
    expect(await loadCaBundle({}, { AWS_CA_BUNDLE: path, NODE_EXTRA_CA_CERTS: ` ${path}` })).toStrictEqual({ added: [], nodeExtra: [], source: `AWS_CA_BUNDLE (${path})` });
  });

  it('falls back to ca_bundle of the profile in use, and to nothing', async () => {
    const path = file('profile.pem', B);
    const config = file('config', `[profile dev]\nca_bundle = ${path}\n`);
    expect(await loadCaBundle({ profile: 'dev' }, { AWS_CONFIG_FILE: config, AWS_CA_BUNDLE: '  ' })).toStrictEqual({
      added: [B],
      nodeExtra: [],
      source: `ca_bundle of profile dev (${path})`,
    });
    expect(await loadCaBundle({}, { AWS_CONFIG_FILE: config })).toBeUndefined();
  });

  it('names the source of a bundle that cannot be read or holds no certificate', async () => {
    const missing = join(dir, 'nowhere.pem');
    await expect(loadCaBundle({}, { AWS_CA_BUNDLE: missing })).rejects.toThrow(
      new InvalidOptionError(`AWS_CA_BUNDLE (${missing}) cannot be read (ENOENT); fix the path to the CA's PEM file or unset it`),
    );
    await expect(loadCaBundle({}, { AWS_CA_BUNDLE: dir })).rejects.toThrow(`AWS_CA_BUNDLE (${dir}) cannot be read (EISDIR)`);
    await expect(loadCaBundle({ caBundle: 'not a certificate' }, {})).rejects.toThrow(
      new InvalidOptionError("the caBundle option holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the CA's certificate in PEM form"),
    );
  });
});
