// Figure 1: getToken on a warm cache, against `await map.get(key)`, in-process (tinybench).
// tinybench: small, maintained, warm-up and statistics built in; each task runs a batch of BATCH awaits so
// that one sample is far above the timer's resolution. Rounds alternate the two tasks; the ratio is the
// median of the per-round ratios, so that drift of a shared machine cancels out.
import { EcrTokenProvider } from 'ecr-auth';
import { Bench } from 'tinybench';
import { ECR_HOST, providerOptions, quantile } from './lib.mjs';

const BATCH = 1_000;

export async function hotPath({ emulator, smoke }) {
  const provider = new EcrTokenProvider(providerOptions(emulator));
  const warm = await provider.getToken(ECR_HOST);
  const map = new Map([[ECR_HOST, warm]]);
  let sink;
  const bench = new Bench({ time: smoke ? 20 : 500, warmupTime: smoke ? 10 : 100, iterations: 10 });
  bench.add('map.get', async () => {
    for (let i = 0; i < BATCH; i += 1) sink = await map.get(ECR_HOST);
  });
  bench.add('getToken', async () => {
    for (let i = 0; i < BATCH; i += 1) sink = await provider.getToken(ECR_HOST);
  });
  const rounds = smoke ? 2 : 5;
  const ratios = [];
  const rates = { 'map.get': [], getToken: [] };
  for (let round = 0; round < rounds; round += 1) {
    await bench.run();
    for (const task of bench.tasks) {
      if (task.result.state !== 'completed') throw new Error(`${task.name}: ${task.result.error?.message ?? task.result.state}`);
      rates[task.name].push((BATCH * 1000) / task.result.latency.mean);
    }
    ratios.push(rates.getToken.at(-1) / rates['map.get'].at(-1));
  }
  if (sink !== warm) throw new Error('getToken did not return the cached token');
  await provider.close();
  const ratio = quantile(ratios, 0.5);
  return {
    id: 'hot-path',
    title: '1. Hot path: getToken, warm cache',
    rows: [
      {
        measure: '`getToken(registry)`, warm cache',
        value: `${fmtRate(quantile(rates.getToken, 0.5))} ops/s`,
        baseline: `\`await map.get(key)\`: ${fmtRate(quantile(rates['map.get'], 0.5))} ops/s`,
        ratio: `${ratio.toFixed(3)}×`,
        target: '≥ 0.333× the baseline',
        met: ratio >= 1 / 3,
      },
    ],
    counts: { ratio },
  };
}

function fmtRate(value) {
  return Math.round(value).toLocaleString('en-US');
}
