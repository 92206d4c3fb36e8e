// The same check for every adapter: an AbortSignal ends a wait for the auth file's lock at once, with its
// reason, leaving the file as it was; without an abort the same write and removal go through (the control).
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { ECR_HOST } from './real-tools/fixtures.ts';

/** An adapter's write and remove, each taking the file's path and a signal (plus lock options for the remove). */
export interface AbortableAdapter {
  write(signal: AbortSignal): Promise<{ changed: boolean }>;
  remove(host: string, signal: AbortSignal, lock?: { timeoutMs: number }): Promise<{ removed: string[] }>;
}

/**
 * Holds the lock of `path` as a live owner elsewhere would, then checks that an aborted write and a removal
 * aborted while waiting both reject with the signal's reason and leave the file byte for byte; then frees the
 * lock and checks that the same calls succeed.
 */
export async function expectAbortableWrites(path: string, adapter: AbortableAdapter): Promise<void> {
  const before = '{"auths":{"other.example":{"auth":"b3RoZXI6eA=="}}}\n';
  await writeFile(path, before);
  await writeFile(`${path}.lock`, JSON.stringify({ pid: process.ppid, host: 'another-host.example', nonce: 'held' }));
  const reason = new Error('Ctrl-C');
  await expect(adapter.write(AbortSignal.abort(reason))).rejects.toBe(reason);
  const controller = new AbortController();
  const pending = adapter.remove('other.example', controller.signal, { timeoutMs: 600_000 });
  setTimeout(() => controller.abort(reason), 20);
  await expect(pending).rejects.toBe(reason);
  expect(await readFile(path, 'utf8')).toBe(before);
  await unlink(`${path}.lock`);
  expect((await adapter.write(new AbortController().signal)).changed).toBe(true);
  expect((await adapter.remove(ECR_HOST, new AbortController().signal)).removed).toEqual([ECR_HOST]);
}
