#!/usr/bin/env node
// `pnpm bench`: the benchmark suite (issue 5). Builds the packages (incremental), runs every figure of
// bench/, prints a table and writes docs/benchmarks.md with the machine and every figure.
//   --smoke        few iterations, small counts; for CI (bench/bench-smoke.test.ts). Does not write the page.
//   --json FILE    also write the raw results as JSON.
//   --only ID,...  run only these figures (hot-path, api-calls, import-cost, process-cost, memory, auth-file,
//                  cold-start, credential-provider).
//   --no-build     skip the build (scripts/build.mjs).
//   --render FILE  write docs/benchmarks.md from a JSON file of an earlier full run (after editing findings).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { smoke: { type: 'boolean' }, json: { type: 'string' }, only: { type: 'string' }, 'no-build': { type: 'boolean' }, out: { type: 'string' }, render: { type: 'string' } } });
const smoke = values.smoke === true;

const { consoleTable, markdown } = await import('../bench/report.mjs');
const writePage = (figures, info) => {
  const findings = readFileSync(join(root, 'bench/findings.md'), 'utf8');
  const page = values.out ?? join(root, 'docs/benchmarks.md');
  writeFileSync(page, markdown(figures, info, { findings, command: 'pnpm bench' }));
  console.log(`\nwrote ${page}`);
};
if (values.render) {
  const saved = JSON.parse(readFileSync(values.render, 'utf8'));
  if (saved.smoke) throw new Error(`${values.render} holds a smoke run: its figures are not worth publishing`);
  console.log(consoleTable(saved.figures));
  writePage(saved.figures, saved.machine);
  process.exit(0);
}

if (!values['no-build']) {
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
}

// The SDK's notice that it will drop Node 20 says nothing about the figures.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!`${warning.name} ${warning.message}`.includes('NodeVersionSupportWarning')) console.warn(`${warning.name}: ${warning.message}`);
});

// Imported after the build: the figures import the built packages.
const { machine, startBenchEmulator } = await import('../bench/lib.mjs');
const FIGURES = {
  'hot-path': (await import('../bench/hot-path.mjs')).hotPath,
  'api-calls': (await import('../bench/api-calls.mjs')).apiCallsFigure,
  'import-cost': (await import('../bench/import-cost.mjs')).importCost,
  'process-cost': (await import('../bench/process-cost.mjs')).processCost,
  memory: (await import('../bench/memory.mjs')).memory,
  'auth-file': (await import('../bench/auth-file.mjs')).authFile,
  'cold-start': (await import('../bench/cold-start.mjs')).coldStart,
  'credential-provider': (await import('../bench/credential-provider.mjs')).credentialProvider,
};
const only = values.only ? values.only.split(',') : Object.keys(FIGURES);
for (const id of only) if (!FIGURES[id]) throw new Error(`unknown figure ${id}; known: ${Object.keys(FIGURES).join(', ')}`);

const info = { ...machine(), date: new Date().toISOString().slice(0, 10), runs: smoke ? 2 : 20 };
console.log(`ecr-auth benchmarks${smoke ? ' (smoke)' : ''}: ${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB, Node ${info.node}`);
const figures = [];
const emulator = await startBenchEmulator();
try {
  for (const id of only) {
    const started = Date.now();
    process.stdout.write(`running ${id}... `);
    emulator.reset();
    const figure = await FIGURES[id]({ emulator, smoke });
    figures.push(figure);
    console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
} finally {
  await emulator.stop();
}

console.log(consoleTable(figures));
if (values.json) writeFileSync(values.json, `${JSON.stringify({ machine: info, smoke, figures }, null, 2)}\n`);
if (!smoke && only.length === Object.keys(FIGURES).length) writePage(figures, info);
