/**
 * Reads the request from stdin, bounded in size and time, without loading Node's stream machinery.
 *
 * @module
 */
import { readSync } from 'node:fs';
import { CredentialProviderError } from './errors.js';
import { MAX_REQUEST_BYTES } from './request.js';

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Reads all of stdin (the kubelet writes the request and closes it).
 *
 * @param deadline - epoch ms after which a writer that neither writes nor closes is given up on.
 * @param fd - the descriptor; default 0.
 * @returns the text.
 * @throws {@link CredentialProviderError} when it is larger than `MAX_REQUEST_BYTES`, or not closed in time.
 */
export function readRequestText(deadline: number, fd = 0): string {
  const buffer = Buffer.alloc(MAX_REQUEST_BYTES + 1);
  let length = 0;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer, length, buffer.length - length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EOF') break;
      if (code !== 'EAGAIN') throw new CredentialProviderError('ECR_AUTH_K8S_BAD_REQUEST', `cannot read the request from stdin (${code ?? 'error'})`);
      // Stryker disable next-line EqualityOperator: > and >= differ only in the one millisecond of the deadline
      if (Date.now() > deadline) throw new CredentialProviderError('ECR_AUTH_K8S_DEADLINE', 'stdin was not closed in time (expected one CredentialProviderRequest)');
      Atomics.wait(pause, 0, 0, 5);
      continue;
    }
    if (n === 0) break;
    length += n;
    if (length > MAX_REQUEST_BYTES) throw new CredentialProviderError('ECR_AUTH_K8S_BAD_REQUEST', `the request is larger than ${MAX_REQUEST_BYTES} bytes`);
  }
  return buffer.toString('utf8', 0, length);
}
