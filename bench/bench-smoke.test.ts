// A short run of the benchmark suite (`scripts/bench.mjs --smoke`): it completes, and the counts hold.
// Benchmarks are not tests: no timing is asserted here.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from '../test-support/process.ts';
import { needTools } from '../test-support/tools.ts';

const BENCH = fileURLToPath(new URL('../scripts/bench.mjs', import.meta.url));

interface Figure {
  id: string;
  rows: { measure: string; value: string }[];
  counts: Record<string, number | string | undefined>;
}

// The cold-start and process-cost figures time `aws ecr get-login-password` next to ours.
const tools = needTools('aws');

describe.skipIf(tools.skip)(tools.title('pnpm bench --smoke'), () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs every figure; one API call for 1,000 callers, no SDK at import, no failed auth-file writer', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ecr-auth-bench-smoke-'));
    const json = join(dir, 'results.json');
    // The packages are built by the global setup.
    const run = await runProcess(process.execPath, [BENCH, '--smoke', '--no-build', '--json', json], { timeoutMs: 180_000 });
    expect(run.status, run.stderr).toBe(0);
    const { figures } = JSON.parse(await readFile(json, 'utf8')) as { figures: Figure[] };
    const byId = Object.fromEntries(figures.map((f) => [f.id, f]));
    expect(Object.keys(byId).sort()).toEqual(['api-calls', 'auth-file', 'cold-start', 'credential-provider', 'hot-path', 'import-cost', 'memory', 'process-cost']);
    // Every cold run on every line and variant made exactly one call.
    expect(byId['cold-start']?.counts['calls']).toBe(byId['cold-start']?.counts['expectedCalls']);
    expect(byId['api-calls']?.counts).toMatchObject({ calls: 1, failures: 0, misaddressed: 0, callers: 1000 });
    expect(byId['import-cost']?.counts['sdkModules']).toBe(0);
    expect(byId['import-cost']?.counts['modules']).toBeGreaterThan(0);
    // Every cold `ecr-auth` and `aws` run made exactly one call; warm helper runs made none.
    const spawned = byId['process-cost']?.counts;
    expect(spawned?.['calls']).toBe(spawned?.['expectedCalls']);
    expect(byId['auth-file']?.counts).toMatchObject({ writers: 50, failures: 0 });
    // The kubelet provider: one call per cold exec and per aws run (and the priming exec); none when warm.
    expect(byId['credential-provider']?.counts['calls']).toBe(byId['credential-provider']?.counts['expectedCalls']);
    for (const key of ['tokenOnly', 'sharedClient', 'ownClient']) expect(byId['memory']?.counts[key]).toBeGreaterThan(0);
    expect(byId['hot-path']?.counts['ratio']).toBeGreaterThan(0);
    // The table was printed.
    expect(run.stdout).toContain('6. Auth file updates');
  }, 180_000);
});
