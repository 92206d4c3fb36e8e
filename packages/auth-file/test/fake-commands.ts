import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes a fake executable `name` into `bin` that records its arguments and stdin into `<bin>/<name>.args`
 * and `<bin>/<name>.stdin`, then prints `output` (stdout, or stderr when `toStderr`) and exits with `exitCode`.
 * With `echoStdin`, it also echoes its stdin to the same stream (to prove that errors redact secrets).
 */
export async function fakeCommand(bin: string, name: string, options: { exitCode?: number; output?: string; toStderr?: boolean; echoStdin?: boolean } = {}): Promise<string> {
  const path = join(bin, name);
  const stream = options.toStderr ? ' >&2' : '';
  await writeFile(
    path,
    [
      '#!/bin/sh',
      `printf '%s\\n' "$@" > "${path}.args"`,
      `cat > "${path}.stdin"`,
      `printf '%s' ${JSON.stringify(options.output ?? '')}${stream}`,
      options.echoStdin ? `cat "${path}.stdin"${stream}` : '',
      `exit ${options.exitCode ?? 0}`,
      '',
    ].join('\n'),
  );
  await chmod(path, 0o755);
  return path;
}
