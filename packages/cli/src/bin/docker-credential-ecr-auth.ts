#!/usr/bin/env node
// The Docker credential helper. Start-up path: node builtins and the small cache modules only; ecr-auth and
// the AWS SDK are imported on a cache miss. The build bundles this path into one CommonJS file
// (`docker-credential-ecr-auth.cjs`, the package's bin): one file to load instead of a module graph.
import '../compile-cache.js';
import { writeSync } from 'node:fs';
import { REFRESH_COMMAND, runFast, type HelperResult } from '../helper-fast.js';
import { silenceSdkWarnings } from '../silence.js';

/** Before the SDK loads: its warnings would reach Docker's output (shown with ECR_AUTH_DEBUG=1). */
function quietSdk(): void {
  const debug = process.env['ECR_AUTH_DEBUG'] === '1' || process.env['ECR_AUTH_DEBUG'] === 'true';
  silenceSdkWarnings(debug ? (line) => process.stderr.write(`${line}\n`) : undefined);
}

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

/**
 * Starts the renewal in a detached process with no standard streams: Docker waits for this process and its
 * pipes, not for the renewal.
 */
function renewInBackground(serverUrl: string): void {
  void import('node:child_process').then(({ spawn }) => {
    const script = process.argv[1];
    if (script === undefined) return;
    spawn(process.execPath, [script, REFRESH_COMMAND, serverUrl], { detached: true, stdio: 'ignore' }).unref();
  });
}

function finish(result: HelperResult): void {
  if (result.stderr) writeAll(2, result.stderr);
  process.exitCode = result.code;
  if (result.stdout) writeAll(1, result.stdout);
  if (result.refreshInBackground !== undefined) renewInBackground(result.refreshInBackground);
}

// No top-level await: the bundled bin is CommonJS. The slow path stays an ES module, imported on a miss.
if (process.argv[2] === REFRESH_COMMAND) {
  quietSdk();
  const serverUrl = process.argv[3] ?? '';
  void import('../helper-slow.js').then(({ runBackgroundRefresh }) => runBackgroundRefresh(serverUrl, process.env));
} else {
  const fast = runFast(process.argv[2], process.env);
  if ('code' in fast) {
    finish(fast);
  } else {
    quietSdk();
    void import('../helper-slow.js').then(({ runSlowGet }) => runSlowGet(fast, process.env)).then(finish);
  }
}
