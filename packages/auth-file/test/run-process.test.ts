// runProcess, the one way this package runs a program (credential helpers, tool logins): its folder, its deadline,
// an abort before or during the run (and a program that ignores SIGTERM), bounded output, stdin.
import { getEventListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runProcess } from '@ecr-auth/auth-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(`${tmpdir()}/ecr-auth-run-process-`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('runProcess', () => {
  it('runs in the folder asked for, or in ours', async () => {
    expect((await runProcess('pwd', [], { cwd: dir })).stdout).toBe(`${dir}\n`);
    expect((await runProcess('pwd', [])).stdout).toBe(`${process.cwd()}\n`); // control
  });

  it('kills a program at its deadline, with no exit code and a "timed out" error', async () => {
    const started = Date.now();
    const outcome = await runProcess('sleep', ['20'], { timeoutMs: 100 });
    expect(outcome.exitCode).toBeUndefined();
    expect(outcome.error?.message).toBe('timed out after 100 ms');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('an aborted signal stops the program at once, with the reason; one that is never aborted leaves no listener', async () => {
    const reason = new Error('stop');
    const started = Date.now();
    expect((await runProcess('sleep', ['20'], { signal: AbortSignal.abort(reason) })).error).toBe(reason);
    const controller = new AbortController();
    setTimeout(() => controller.abort('plain words'), 50);
    const aborted = await runProcess('sleep', ['20'], { signal: controller.signal });
    expect(aborted.error?.message).toBe('plain words');
    expect(Date.now() - started).toBeLessThan(10_000);
    const calm = new AbortController();
    expect((await runProcess('true', [], { signal: calm.signal })).exitCode).toBe(0);
    expect(getEventListeners(calm.signal, 'abort')).toHaveLength(0);
  });

  it('a program that ignores SIGTERM is killed a second later; one that exits on it has no exit code reported', async () => {
    const stubborn = new AbortController();
    setTimeout(() => stubborn.abort(new Error('stop')), 1_000); // after node has set its handler
    const started = Date.now();
    const outcome = await runProcess(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { signal: stubborn.signal });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(outcome.exitCode).toBeUndefined();
    const polite = new AbortController();
    setTimeout(() => polite.abort(new Error('stop')), 1_000);
    const exited = await runProcess(process.execPath, ['-e', 'process.on("SIGTERM", () => process.exit(3)); setInterval(() => {}, 1000)'], { signal: polite.signal });
    expect(exited.exitCode).toBeUndefined();
    expect(exited.error?.message).toBe('stop');
  });

  it('keeps at most about 64 KiB of stdout and of stderr', async () => {
    const outcome = await runProcess('sh', ['-c', 'head -c 300000 /dev/zero | tr "\\0" a; head -c 300000 /dev/zero | tr "\\0" b >&2']);
    for (const stream of [outcome.stdout, outcome.stderr]) {
      expect(stream.length).toBeGreaterThanOrEqual(64 * 1024);
      expect(stream.length).toBeLessThan(2 * 64 * 1024);
    }
    expect((await runProcess('sh', ['-c', 'head -c 1000 /dev/zero | tr "\\0" a'])).stdout).toHaveLength(1000); // control
  });

  it('gives the program its stdin, or none; one that does not read a large stdin is no error', async () => {
    expect((await runProcess('cat', [], { stdin: 'é and more' })).stdout).toBe('é and more');
    expect((await runProcess('cat', [])).stdout).toBe('');
    expect((await runProcess('true', [], { stdin: 'x'.repeat(4 * 1024 * 1024) })).exitCode).toBe(0);
  });
});
