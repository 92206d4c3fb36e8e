#!/usr/bin/env node
// The Docker credential helper. Start-up path: node builtins and the small cache modules only; ecr-auth and
// the AWS SDK are imported on a cache miss.
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
  const { runSlowGet } = await import('../helper-slow.js');
  finish(await runSlowGet(fast, process.env));
}
