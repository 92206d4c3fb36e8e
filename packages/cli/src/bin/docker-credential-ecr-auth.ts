#!/usr/bin/env node
// The Docker credential helper. Start-up path: node builtins and the small cache modules only; ecr-auth and
// the AWS SDK are imported on a cache miss. The build bundles this path into one CommonJS file
// (`docker-credential-ecr-auth.cjs`, the package's bin): one file to load instead of a module graph.
import '../compile-cache.js';
import { writeSync } from 'node:fs';
import { runFast, type HelperResult } from '../helper-fast.js';

/**
 * Writes one answer straight to a file descriptor: `process.stdout` would first load Node's stream and socket
 * machinery, ~6 ms of a helper that Docker runs on every pull. A non-blocking pipe that is full (EAGAIN) gets
 * the rest through the stream; a reader that has gone (EPIPE) gets nothing.
 */
function writeAll(fd: 1 | 2, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN') (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(offset));
    else if (code !== 'EPIPE') throw error;
  }
}

function finish(result: HelperResult): void {
  if (result.stderr) writeAll(2, result.stderr);
  process.exitCode = result.code;
  if (result.stdout) writeAll(1, result.stdout);
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
