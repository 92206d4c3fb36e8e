// The emulator over HTTPS (the `tls` option), with a CA and server certificate made by openssl for the test.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCertificates, type TestCertificates } from '../../../test-support/tls-certs.ts';
import { needTools } from '../../../test-support/tools.ts';
import { startEmulator, type Emulator } from './index.ts';

let certs: TestCertificates;
let emulator: Emulator;

beforeAll(async () => {
  certs = await makeTestCertificates();
  emulator = await startEmulator({ host: '127.0.0.1', tls: { cert: certs.cert, key: certs.key } });
});

afterAll(async () => {
  await emulator.stop();
  await certs.remove();
});

/** GET /__emulator/stats over HTTPS, trusting `ca` (or only Node's defaults). */
function stats(ca: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${emulator.url}/__emulator/stats`, { ...(ca !== undefined && { ca }), agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const tools = needTools('openssl');

describe.skipIf(tools.skip)(tools.title('the tls option'), () => {
  it('serves HTTPS at an https:// URL', async () => {
    expect(emulator.url).toBe(`https://127.0.0.1:${emulator.port}`);
    const answer = await stats(certs.caPem);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toHaveProperty('requests');
  });

  it('is not trusted without its CA (negative control)', async () => {
    await expect(stats(undefined)).rejects.toMatchObject({ code: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/) });
  });

  it('refuses a tls option without a key or certificate', async () => {
    await expect(startEmulator({ tls: { cert: certs.cert, key: '' } })).rejects.toThrow(/tls needs both cert and key/);
  });
});
