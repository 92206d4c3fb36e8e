#!/usr/bin/env node
// The Docker credential helper. Start-up path: node builtins and the small cache modules only; ecr-auth and
// the AWS SDK are imported on a cache miss. The build bundles this path into one CommonJS file
// (`docker-credential-ecr-auth.cjs`, the package's bin): one file to load instead of a module graph.
import '../compile-cache.js';
import { runFast, type HelperResult } from '../helper-fast.js';

function finish(result: HelperResult): void {
  if (result.stderr) process.stderr.write(result.stderr);
  process.exitCode = result.code;
  if (result.stdout) process.stdout.write(result.stdout);
}

const fast = runFast(process.argv[2], process.env);
if ('code' in fast) {
  finish(fast);
} else {
  // No top-level await: the bundled bin is CommonJS. The slow path stays an ES module, imported on a miss.
  void import('../helper-slow.js')
    .then(({ runSlowGet }) => runSlowGet(fast, process.env))
    .then(finish);
}
