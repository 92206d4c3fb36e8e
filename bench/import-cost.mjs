// Figure 3: `import('ecr-auth')` in a fresh process, time and heap, against `node -e 0`; and proof that the
// import loads no AWS SDK module (the process runs once under test-support/trace-imports.mjs).
import { TRACE_IMPORTS, compareProcesses, makeSandbox, runTimed, summary } from './lib.mjs';

const IMPORT = "await import('ecr-auth')";
/** Prints heapUsed after a full GC, with or without the import, and the import's own time in the process. */
const heapProbe = (withImport) =>
  `globalThis.gc(); globalThis.gc(); const t = process.hrtime.bigint(); ${withImport ? IMPORT : ''}; const ms = Number(process.hrtime.bigint() - t) / 1e6; ` +
  'globalThis.gc(); globalThis.gc(); console.log(JSON.stringify({ heap: process.memoryUsage().heapUsed, ms }))';

export async function importCost({ smoke }) {
  const { env, cleanup } = await makeSandbox();
  try {
    const node = process.execPath;
    const times = await compareProcesses(
      [
        { name: 'node -e 0', command: node, args: ['-e', '0'], env },
        { name: 'import', command: node, args: ['--input-type=module', '-e', IMPORT], env },
      ],
      smoke ? 3 : 30,
    );
    const heap = { base: [], import: [] };
    const inProcessMs = [];
    for (let i = 0; i < (smoke ? 1 : 10); i += 1) {
      for (const [key, withImport] of [['base', false], ['import', true]]) {
        const run = await runTimed(node, ['--expose-gc', '--input-type=module', '-e', heapProbe(withImport)], { env });
        if (run.code !== 0) throw new Error(`heap probe: ${run.stderr}`);
        const probe = JSON.parse(run.stdout);
        heap[key].push(probe.heap);
        if (withImport) inProcessMs.push(probe.ms);
      }
    }
    const traced = await runTimed(node, ['--import', TRACE_IMPORTS, '--input-type=module', '-e', IMPORT], { env });
    if (traced.code !== 0) throw new Error(`traced import: ${traced.stderr}`);
    const loaded = traced.stderr
      .split('\n')
      .filter((line) => line.startsWith('LOADED '))
      .map((line) => line.slice(7))
      .filter((url) => !url.startsWith('node:') && !url.startsWith('data:'));
    const sdkModules = loaded.filter((url) => /@aws-sdk|@smithy/.test(url));
    const extraMs = times.import.p50 - times['node -e 0'].p50;
    const heapBase = summary(heap.base).p50;
    const heapImport = summary(heap.import).p50;
    return {
      id: 'import-cost',
      title: "3. Import cost: `import('ecr-auth')` in a fresh process",
      rows: [
        {
          measure: 'wall time, p50 / p90',
          value: `${ms(times.import.p50)} / ${ms(times.import.p90)}`,
          baseline: `\`node -e 0\`: ${ms(times['node -e 0'].p50)} / ${ms(times['node -e 0'].p90)}`,
          ratio: `+${ms(extraMs)} (${(times.import.p50 / times['node -e 0'].p50).toFixed(2)}×)`,
          target: '< 20 ms above the baseline',
          met: extraMs < 20,
        },
        {
          // A diagnostic, not the issue's target (that is the wall time above): it includes the ES module
          // loader's own first-import cost (~7 ms for an empty module), which `node -e 0` never pays.
          measure: 'the import alone, timed inside the process (diagnostic), p50 / p90',
          value: `${ms(summary(inProcessMs).p50)} / ${ms(summary(inProcessMs).p90)}`,
          baseline: '0 ms',
          ratio: `+${ms(summary(inProcessMs).p50)}`,
          target: '—',
          met: null,
        },
        {
          measure: 'heap used after GC',
          value: kib(heapImport),
          baseline: `empty process: ${kib(heapBase)}`,
          ratio: `+${kib(heapImport - heapBase)}`,
          target: '—',
          met: null,
        },
        {
          measure: `modules loaded (outside node:)`,
          value: `${loaded.length}, of which AWS SDK: ${sdkModules.length}`,
          baseline: '0',
          ratio: '—',
          target: 'no AWS SDK module',
          met: sdkModules.length === 0,
        },
      ],
      counts: { sdkModules: sdkModules.length, modules: loaded.length, extraMs },
      notes: [`Modules loaded by the import: ${loaded.map((url) => '`' + url.replace(/^file:\/\/.*?\/(node_modules|packages)\//, '$1/') + '`').join(', ')}.`],
    };
  } finally {
    await cleanup();
  }
}

export const ms = (value) => `${value.toFixed(1)} ms`;
export const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
