// Run by memory.mjs with --expose-gc: heap growth per cached token, three ways. Prints one JSON line.
// argv: mode (shared-client | own-client | token-only), count. Env: BENCH_ENDPOINT, AWS_ACCESS_KEY_ID/SECRET.
import { createRequire } from 'node:module';
import { AuthorizationToken, EcrTokenProvider } from 'ecr-auth';

const [mode, countText] = process.argv.slice(2);
const count = Number(countText);
const endpoint = process.env.BENCH_ENDPOINT;
const credentials = { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY };
const base = { region: 'us-east-1', endpoint, publicEndpoint: endpoint, credentials };
// The SDK is a dependency of ecr-auth, not of the repository root.
const { ECRClient } = createRequire(createRequire(import.meta.url).resolve('ecr-auth/package.json'))('@aws-sdk/client-ecr');
const shared = new ECRClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });

const heap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

/** Runs `task(i)` for i < count, `width` at a time. */
async function pool(width, task) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) await task(next++);
  }));
}

// Warm-up outside the measurement: load the SDK and lazily created module state.
const warm = await new EcrTokenProvider({ ...base, client: shared }).getToken();
await new EcrTokenProvider(base).getToken();
const keep = [];
const before = heap();
if (mode === 'token-only') {
  // The token object alone: same fields, a distinct password string of the same length each.
  const password = warm.revealPassword();
  for (let i = 0; i < count; i += 1) {
    const unique = Buffer.from(`${i.toString(36).padStart(4, '0')}${password.slice(4)}`).toString('latin1'); // a flat string
    keep.push(new AuthorizationToken({ username: 'AWS', password: unique, registry: warm.registry, proxyEndpoint: warm.proxyEndpoint, region: warm.region, accountId: warm.accountId, kind: 'private', fetchedAt: warm.fetchedAt, expiresAt: warm.expiresAt }));
  }
} else {
  await pool(50, async (i) => {
    const provider = new EcrTokenProvider(mode === 'shared-client' ? { ...base, client: shared } : base);
    keep[i] = provider;
    await provider.getToken();
  });
}
const after = heap();
console.log(JSON.stringify({ mode, count: keep.length, bytesPerEntry: (after - before) / keep.length, totalBytes: after - before }));
process.exit(0); // open keep-alive sockets would hold the process
