/**
 * Keeps the AWS SDK quiet: no `NodeVersionSupportWarning` (Node 20) or other SDK warnings on stderr. For the
 * executables only (`bin/`): it changes the process (an environment variable, the `warning` listeners), which
 * `main()` embedded in another program must not do.
 *
 * @module
 */

let installed = false;
let debugSink: ((line: string) => void) | undefined;

/**
 * Disables the SDK's Node version warning and routes process warnings away from stderr (to `debugSink` when
 * set). Call before the SDK loads; calling again is harmless.
 *
 * @param sink - where to report swallowed warnings (with `--debug`).
 */
export function silenceSdkWarnings(sink?: (line: string) => void): void {
  if (sink) debugSink = sink;
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  if (installed) return;
  installed = true;
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error) => {
    debugSink?.(`warning: ${warning.name}: ${warning.message.split('\n')[0] ?? ''}`);
  });
}
