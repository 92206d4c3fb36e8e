// Extra CAs keep Node's own: the default roots and NODE_EXTRA_CA_CERTS (which a context built from scratch
// would drop), and a bundle of certificates Node trusts already costs nothing.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCertificates, type TestCertificates } from '../../../test-support/tls-certs.ts';
import { needTools } from '../../../test-support/tools.ts';
import { networkSetup } from '../src/request-handler.ts';

const tools = needTools('openssl');
const SECURE_CONTEXT = fileURLToPath(new URL('../dist/secure-context.js', import.meta.url));

let extra: TestCertificates;
let added: TestCertificates;

beforeAll(async () => {
  [extra, added] = await Promise.all([makeTestCertificates(), makeTestCertificates()]);
});
afterAll(async () => {
  await Promise.all([extra.remove(), added.remove()]);
});

/**
 * In a child whose NODE_EXTRA_CA_CERTS names `extra`'s CA: connects to an HTTPS server with `server`'s
 * certificate, through a context built by secureContextWith (with or without telling it NODE_EXTRA_CA_CERTS).
 */
async function connect(server: TestCertificates, keepNodeExtra: boolean): Promise<string> {
  const script = `
    import { createServer, get } from 'node:https';
    import { secureContextWith } from ${JSON.stringify(SECURE_CONTEXT)};
    const [cert, key, addedCa, extraCa] = JSON.parse(process.env.INPUT);
    const context = secureContextWith({ added: [addedCa], nodeExtra: ${keepNodeExtra} ? [extraCa] : [] });
    const srv = createServer({ cert, key }, (q, r) => r.end('ok')).listen(0, '127.0.0.1', () => {
      get({ host: '127.0.0.1', port: srv.address().port, secureContext: context, agent: false }, (r) => { console.log('ok'); srv.close(); })
        .on('error', (e) => { console.log(e.code); srv.close(); });
    });`;
  const input = JSON.stringify([server.cert, server.key, added.caPem, extra.caPem]);
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: extra.caPath, INPUT: input },
  });
  return stdout.trim();
}

describe.skipIf(tools.skip)(tools.title('secureContextWith'), () => {
  it('trusts the added CA', async () => {
    expect(await connect(added, true)).toBe('ok');
  });

  it('keeps trusting NODE_EXTRA_CA_CERTS (and, on Node 20, fails without them: the control)', async () => {
    expect(await connect(extra, true)).toBe('ok');
    const naive = await connect(extra, false);
    // Node 24 adds NODE_EXTRA_CA_CERTS to every context itself; Node 20 drops them from a context given `ca`.
    if (Number(process.versions.node.split('.')[0]) >= 24) expect(naive).toBe('ok');
    else expect(naive).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER/);
  });
});

describe.skipIf(tools.skip)(tools.title('networkSetup'), () => {
  it('a CA bundle of certificates Node trusts already (AWS_CA_BUNDLE = the system bundle) adds no agents', async () => {
    const file = join(added.dir, 'roots.pem');
    await writeFile(file, rootCertificates.slice(0, 20).join('\n'));
    const setup = await networkSetup({}, { AWS_CA_BUNDLE: file, AWS_CONFIG_FILE: '/nonexistent' });
    expect(setup.ca?.added).toEqual([]);
    expect(setup.handlerOptions).toBeUndefined();
    const withNew = await networkSetup({}, { AWS_CA_BUNDLE: added.caPath, AWS_CONFIG_FILE: '/nonexistent' });
    expect(withNew.ca?.added).toHaveLength(1);
    expect(withNew.handlerOptions).toBeDefined();
    withNew.handlerOptions?.httpAgent.destroy();
    withNew.handlerOptions?.httpsAgent.destroy();
  });
});
