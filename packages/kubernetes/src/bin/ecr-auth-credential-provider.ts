#!/usr/bin/env node
// The kubelet image credential provider. Start-up path: node builtins and the CLI's small cache modules only;
// `@ecr-auth/cli`'s TokenSource, ecr-auth and the AWS SDK are loaded on a cache miss. The build bundles the
// start-up path into `ecr-auth-credential-provider.cjs` (the package's bin) and the slow path into
// `ecr-auth-credential-provider-slow.cjs`.
import { writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireWithCodeCache } from '../../../cli/dist/code-cache.js';
import { cacheDir, cacheDisabled } from '../../../cli/dist/token-cache.js';
import { CredentialProviderError } from '../errors.js';
import { runFast } from '../fast-path.js';
import type { runSlow } from '../slow-path.js';
import { readRequestText } from '../stdin.js';

// The build (scripts/bundle.mjs) writes the slow path bundle's content hash in here.
declare const ECR_AUTH_SLOW_FINGERPRINT: string | undefined;

/** Default deadline of one request, ms (`ECR_AUTH_PROVIDER_TIMEOUT_MS`); the kubelet kills a provider after 60 s. */
const DEFAULT_TIMEOUT_MS = 20_000;
const MAX_TIMEOUT_MS = 55_000;

function timeoutMs(): number {
  const value = process.env['ECR_AUTH_PROVIDER_TIMEOUT_MS'];
  const parsed = Number(value);
  return value && Number.isFinite(parsed) && parsed > 0 ? Math.min(parsed, MAX_TIMEOUT_MS) : DEFAULT_TIMEOUT_MS;
}

function writeAll(fd: 1 | 2, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return; // the reader has gone
    }
  }
}

/** One line on stderr (the kubelet logs it), nothing on stdout, exit 1. Never a stack, never a secret. */
function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  // eslint-disable-next-line no-control-regex -- control characters are what is escaped
  const line = (message.split('\n')[0] ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ');
  writeAll(2, `${line.startsWith('ecr-auth-credential-provider:') ? line : `ecr-auth-credential-provider: ${line.replace(/^ecr-auth: /, '')}`}\n`);
  process.exit(1);
}

function answer(response: unknown): never {
  writeAll(1, `${JSON.stringify(response)}\n`);
  process.exit(0);
}

const budget = timeoutMs();
const deadline = Date.now() + budget;
let outcome;
try {
  outcome = runFast(readRequestText(deadline), process.env);
} catch (error) {
  fail(error);
}
if ('response' in outcome) answer(outcome.response);
// A miss: load the SDK quietly (its warnings would be extra lines on stderr), within the deadline.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
process.removeAllListeners('warning');
process.on('warning', () => undefined);
const slow = outcome.slow;
setTimeout(() => fail(new CredentialProviderError('ECR_AUTH_K8S_DEADLINE', `no token within ${budget} ms (ECR_AUTH_PROVIDER_TIMEOUT_MS); is the ECR API reachable?`)), Math.max(0, deadline - Date.now()));
// The slow path (TokenSource, ecr-auth and the SDK) is one CommonJS bundle run with V8's code cache, as the
// `ecr-auth` command is: a cold exec neither resolves hundreds of modules nor compiles the SDK again.
void Promise.resolve()
  .then(() => {
    const bundle = fileURLToPath(new URL('./ecr-auth-credential-provider-slow.cjs', import.meta.url));
    const fingerprint = typeof ECR_AUTH_SLOW_FINGERPRINT === 'string' ? ECR_AUTH_SLOW_FINGERPRINT : undefined;
    const slowPath = requireWithCodeCache(bundle, cacheDisabled(process.env) ? undefined : cacheDir(process.env), fingerprint) as { runSlow: typeof runSlow };
    return slowPath.runSlow(slow, process.env, Math.max(500, deadline - Date.now() - 1_000));
  })
  .then(answer, fail);
