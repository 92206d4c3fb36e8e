// StrykerJS for one package at a time (ECR_AUTH_MUTATION_PACKAGE, see stryker/packages.mjs); run it through
// `pnpm test:mutation` (scripts/mutation.mjs), which goes through every package and writes docs/quality.md.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGES } from './stryker/packages.mjs';

const name = process.env.ECR_AUTH_MUTATION_PACKAGE ?? 'ecr-auth';
const selected = PACKAGES[name];
if (!selected) throw new Error(`ECR_AUTH_MUTATION_PACKAGE: no package ${name}`);
const out = process.env.ECR_AUTH_MUTATION_OUT ?? '.test-results/mutation';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: selected.mutate.map((glob) => (glob.startsWith('!') ? `!${selected.dir}/${glob.slice(1)}` : `${selected.dir}/${glob}`)),
  // The sandbox: a copy of what the tests need (sources, tests, fixtures, test support), node_modules linked.
  // Outside the working tree, so that eslint, tsc and editors never see the instrumented copies.
  tempDirName: process.env.ECR_AUTH_MUTATION_TMP ?? join(tmpdir(), 'ecr-auth-stryker'),
  ignorePatterns: ['/*', '!/packages', '!/test-support', '!/stryker', '!/vitest.mutation.config.ts', '!/package.json', '!/tsconfig*.json', '/packages/*/*', '!/packages/*/src', '!/packages/*/test', '!/packages/*/package.json', '!/packages/*/dist'],
  concurrency: Number(process.env.ECR_AUTH_MUTATION_CONCURRENCY ?? 2),
  timeoutMS: 20_000,
  incremental: process.env.ECR_AUTH_MUTATION_INCREMENTAL === '1',
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  thresholds: { high: 90, low: 85, break: Number(process.env.ECR_AUTH_MUTATION_BREAK ?? 0) || null },
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `${out}/${name}.json` },
  htmlReporter: { fileName: `${out}/${name}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  cleanTempDir: true,
};
