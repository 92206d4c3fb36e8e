#!/usr/bin/env node
// Bundles the credential helper's start-up path (dist/bin/docker-credential-ecr-auth.js and the small
// modules it imports) into one CommonJS file, the package's `docker-credential-ecr-auth` bin. Docker runs the
// helper on every pull: one file to read and compile instead of an ES module graph saves ~15 ms per call
// (measured, see docs/benchmarks.md). The slow path (`helper-slow.js`, the SDK) stays a lazily imported ES module.
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const bundle = await rolldown({
  input: `${dist}bin/docker-credential-ecr-auth.js`,
  platform: 'node',
  external: [/^node:/, /helper-slow\.js$/],
  logLevel: 'warn',
});
await bundle.write({
  file: `${dist}bin/docker-credential-ecr-auth.cjs`,
  format: 'cjs',
  sourcemap: true,
});
await bundle.close();
