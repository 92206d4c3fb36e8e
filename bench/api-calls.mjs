// Figure 2: 1,000 concurrent callers over 50 registries of one region, cold cache: how many API calls.
// The baseline is the naive client: one call per caller.
import { EcrTokenProvider } from 'ecr-auth';
import { REGION, apiCalls, msSince, providerOptions } from './lib.mjs';

const CALLERS = 1_000;
const REGISTRIES = 50;

export async function apiCallsFigure({ emulator }) {
  const provider = new EcrTokenProvider(providerOptions(emulator));
  const registries = Array.from({ length: REGISTRIES }, (_, i) => `${String(100000000000 + i)}.dkr.ecr.${REGION}.amazonaws.com`);
  emulator.resetStats();
  const started = process.hrtime.bigint();
  const results = await Promise.allSettled(Array.from({ length: CALLERS }, (_, i) => provider.getToken(registries[i % REGISTRIES])));
  const ms = msSince(started);
  const calls = apiCalls(emulator);
  const failures = results.filter((r) => r.status === 'rejected').length;
  const misaddressed = results.filter((r, i) => r.status === 'fulfilled' && r.value.registry !== registries[i % REGISTRIES]).length;
  await provider.close();
  return {
    id: 'api-calls',
    title: '2. API calls: 1,000 concurrent callers, 50 registries, one region, cold',
    rows: [
      {
        measure: `API calls for ${CALLERS.toLocaleString('en-US')} callers (all answered in ${ms.toFixed(0)} ms; ${failures} failed)`,
        value: `${calls}`,
        baseline: `${CALLERS.toLocaleString('en-US')} (one call per caller)`,
        ratio: `${(calls / CALLERS).toFixed(3)}×`,
        target: '1 call',
        met: calls === 1 && failures === 0 && misaddressed === 0,
      },
    ],
    counts: { calls, failures, misaddressed, callers: CALLERS },
  };
}
