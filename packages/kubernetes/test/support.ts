// Helpers of the provider's end-to-end tests: run the built executable as the kubelet does (request on stdin).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { run, type Run } from '../../cli/test/support.ts';

export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const PROVIDER_BIN = join(PACKAGE_ROOT, 'dist/bin/ecr-auth-credential-provider.cjs');
export const V1 = 'credentialprovider.kubelet.k8s.io/v1';
export const V1BETA1 = 'credentialprovider.kubelet.k8s.io/v1beta1';

/** A request as the kubelet writes it. */
export function request(image: string, extra: Record<string, unknown> = {}, apiVersion = V1): string {
  return JSON.stringify({ apiVersion, kind: 'CredentialProviderRequest', image, ...extra });
}

/** Runs the provider with `stdin`. */
export function provider(stdin: string, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<Run> {
  return run(process.execPath, [PROVIDER_BIN], { env, stdin, timeoutMs });
}

/** Parses a Go duration string of the forms the provider writes (`5h29m0s`, `1m0s`, `45s`) into seconds. */
export function goSeconds(duration: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(\d+)s$/.exec(duration);
  if (!match) throw new Error(`not a Go duration: ${duration}`);
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3]);
}

/** Exit 1, one line on stderr (no stack), nothing on stdout. */
export function expectRefusal(result: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr.split('\n')).toHaveLength(2);
  expect(result.stderr).toMatch(/^ecr-auth-credential-provider: /);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}
