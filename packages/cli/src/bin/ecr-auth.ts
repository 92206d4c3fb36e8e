#!/usr/bin/env node
import '../compile-cache.js';
import { main } from '../main.js';
import { silenceSdkWarnings } from '../silence.js';

// The executable owns its process: SDK warnings are shown only with --debug.
silenceSdkWarnings(process.argv.includes('--debug') ? (line) => process.stderr.write(`[debug] ${line}\n`) : undefined);

/** How long a command may take to wind down after SIGINT/SIGTERM before it is ended regardless. */
const STOP_GRACE_MS = 900;

const controller = new AbortController();
const stop = () => {
  if (!controller.signal.aborted) {
    controller.abort();
    // Every wait honours the signal; this bounds what does not (a credential provider mid-request).
    setTimeout(() => process.exit(130), STOP_GRACE_MS).unref();
  }
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

// A reader that went away (`| head`) or a full disk: say so in one line (nothing for a closed pipe), no stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && stream === process.stdout) process.stderr.write(`ecr-auth: cannot write to standard output: ${error.code ?? error.message}\n`);
    process.exit(1);
  });
}

// No top-level await: the build bundles this bin into one CommonJS file.
void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal }).then((code) => {
  process.exitCode = code;
  process.off('SIGTERM', stop);
  process.off('SIGINT', stop);
});
