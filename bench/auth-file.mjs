// Figure 6: 50 processes at once, each writing its own registry's entry into one Docker config.json.
// Failures: a process that exits non-zero, or an entry missing or wrong at the end. Baseline: one process
// writing alone, measured in the same run.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EcrTokenProvider } from 'ecr-auth';
import { ECR_HOST, REGION, REPO_ROOT, makeSandbox, msSince, providerOptions, runTimed, summary } from './lib.mjs';
import { ms } from './import-cost.mjs';

const PROBE = join(REPO_ROOT, 'bench/probes/write-auth-probe.mjs');
const WRITERS = 50;

export async function authFile({ emulator, smoke }) {
  const provider = new EcrTokenProvider(providerOptions(emulator));
  const token = await provider.getToken(ECR_HOST);
  await provider.close();
  const password = token.revealPassword();
  const { home, env, cleanup } = await makeSandbox();
  try {
    const write = (path, registry) =>
      runTimed(process.execPath, [PROBE, path, registry, String(token.fetchedAt.getTime()), String(token.expiresAt.getTime())], { env, input: password });
    const single = [];
    for (let i = 0; i < (smoke ? 2 : 10); i += 1) {
      const run = await write(join(home, `single-${i}`, 'config.json'), ECR_HOST);
      if (run.code !== 0) throw new Error(`single writer: ${run.stderr}`);
      single.push(run.ms);
    }
    const path = join(home, 'docker', 'config.json');
    const registries = Array.from({ length: WRITERS }, (_, i) => `${String(200000000000 + i)}.dkr.ecr.${REGION}.amazonaws.com`);
    const started = process.hrtime.bigint();
    const runs = await Promise.all(registries.map((registry) => write(path, registry)));
    const totalMs = msSince(started);
    const exitFailures = runs.filter((r) => r.code !== 0);
    const auths = JSON.parse(await readFile(path, 'utf8')).auths ?? {};
    const expected = Buffer.from(`AWS:${password}`).toString('base64');
    const missing = registries.filter((registry) => auths[registry]?.auth !== expected).length;
    const failures = exitFailures.length + missing;
    const base = summary(single).p50;
    return {
      id: 'auth-file',
      title: `6. Auth file updates: ${WRITERS} concurrent processes, one config.json`,
      rows: [
        {
          measure: `total wall time; ${failures} failures (${exitFailures.length} non-zero exits, ${missing} entries missing)`,
          value: ms(totalMs),
          baseline: `one writer alone: ${ms(base)}`,
          ratio: `${(totalMs / base).toFixed(1)}× (${ms(totalMs / WRITERS)} per writer)`,
          target: '0 failures',
          met: failures === 0,
        },
      ],
      counts: { writers: WRITERS, failures, missing, exitFailures: exitFailures.length, firstError: exitFailures[0]?.stderr.slice(0, 300) },
    };
  } finally {
    await cleanup();
  }
}
