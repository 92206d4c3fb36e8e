// Figure 5: heap per cached token. Each way runs in its own process (node --expose-gc, GC before and
// after, everything kept reachable); the baseline is the token object alone.
import { join } from 'node:path';
import { REPO_ROOT, emulatorEnv, makeSandbox, runTimed } from './lib.mjs';
import { kib } from './import-cost.mjs';

const PROBE = join(REPO_ROOT, 'bench/probes/memory-probe.mjs');

async function probe(env, mode, count) {
  const run = await runTimed(process.execPath, ['--expose-gc', PROBE, mode, String(count)], { env, timeoutMs: 300_000 });
  if (run.code !== 0) throw new Error(`memory probe ${mode}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

export async function memory({ emulator, smoke }) {
  const { env, cleanup } = await makeSandbox({ ...emulatorEnv(emulator), BENCH_ENDPOINT: emulator.url });
  try {
    const n = smoke ? 200 : 10_000;
    const token = await probe(env, 'token-only', n);
    const shared = await probe(env, 'shared-client', n);
    const own = await probe(env, 'own-client', smoke ? 50 : 1_000);
    const row = (measure, r) => ({
      measure: `${measure} (${r.count.toLocaleString('en-US')} entries)`,
      value: `${kib(r.bytesPerEntry)} / entry`,
      baseline: `token alone: ${kib(token.bytesPerEntry)}`,
      ratio: `${(r.bytesPerEntry / token.bytesPerEntry).toFixed(1)}×`,
      target: '—',
      met: null,
    });
    return {
      id: 'memory',
      title: '5. Memory: heap per cached token',
      rows: [
        { ...row('`AuthorizationToken` alone (~2,500-char password)', token), baseline: '—', ratio: '1.0×' },
        row('one `EcrTokenProvider` per identity, one shared `ECRClient`, one cached token each', shared),
        row('one `EcrTokenProvider` per identity, each with its own SDK client (the default), one token each', own),
      ],
      counts: { tokenOnly: token.bytesPerEntry, sharedClient: shared.bytesPerEntry, ownClient: own.bytesPerEntry },
      notes: [
        `A provider caches one token per (region, private/public), so ${n.toLocaleString('en-US')} distinct entries means ${n.toLocaleString('en-US')} identities, hence providers. ` +
          'An entry counts everything the provider keeps for it: the provider object and its two LRU caches, the cache entry, the token (password, dates) and, in the last row, the SDK client the provider creates (fewer entries there: each costs far more). ' +
          `Heap measured in a fresh process with \`--expose-gc\`, two full GCs before and after, SDK and modules loaded before the first reading. Total heap growth: ${kib(shared.totalBytes)} for ${shared.count.toLocaleString('en-US')} providers with a shared client.`,
      ],
    };
  } finally {
    await cleanup();
  }
}
