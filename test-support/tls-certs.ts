// A throw-away certificate authority and a server certificate for 127.0.0.1/localhost, made by openssl in a
// temporary folder: for HTTPS emulators that clients trust only through AWS_CA_BUNDLE (or caBundle).
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The files and PEM texts of a test CA and the server certificate it signed. */
export interface TestCertificates {
  /** The folder holding every file (removed by {@link TestCertificates.remove}). */
  readonly dir: string;
  /** The CA certificate's path (what AWS_CA_BUNDLE names). */
  readonly caPath: string;
  /** The CA certificate, PEM. */
  readonly caPem: string;
  /** The server certificate, PEM (subjectAltName IP:127.0.0.1, DNS:localhost). */
  readonly cert: string;
  /** The server's private key, PEM. */
  readonly key: string;
  /** Removes the folder. */
  remove(): Promise<void>;
}

function openssl(dir: string, args: readonly string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Makes a CA (`ecr-auth test CA`) and a server certificate for 127.0.0.1 signed by it, valid for a day. */
export async function makeTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'ecr-auth-tls-'));
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=ecr-auth test CA']);
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  await writeFile(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'server.ext']);
  const [caPem, cert, key] = await Promise.all(['ca.pem', 'server.pem', 'server.key'].map((name) => readFile(join(dir, name), 'utf8')));
  return {
    dir,
    caPath: join(dir, 'ca.pem'),
    caPem: caPem ?? '',
    cert: cert ?? '',
    key: key ?? '',
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
