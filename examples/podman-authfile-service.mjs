#!/usr/bin/env node
// A long-running service that keeps a Podman (containers-auth.json) authfile fresh for a set of registries:
// it renews before expiry with jitter, keeps the current (still valid) file when a renewal fails and retries
// with backoff, and stops on SIGTERM/SIGINT. (`ecr-auth login --podman --watch` does the same from the shell.)
//
//   REGISTRY_AUTH_FILE=/run/ci/auth.json ECR_REGISTRIES=123456789012.dkr.ecr.us-east-1.amazonaws.com node examples/podman-authfile-service.mjs
//
// ECR_REGISTRIES: comma-separated registries (default: your own registry in AWS_REGION). Standard AWS env.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { setTimeout as sleep } from 'node:timers/promises';
import { EcrTokenProvider } from 'ecr-auth';
import { writePodmanAuth } from '@ecr-auth/podman';

const registries = (process.env.ECR_REGISTRIES ?? '').split(',').map((r) => r.trim()).filter(Boolean);
const stop = new AbortController();
process.once('SIGTERM', () => stop.abort());
process.once('SIGINT', () => stop.abort());

const provider = new EcrTokenProvider();
let failures = 0;
let renewing = false;

while (!stop.signal.aborted) {
  let delay;
  try {
    const options = { forceRefresh: renewing, signal: stop.signal };
    const tokens = registries.length > 0 ? await provider.getTokens(registries, options) : [await provider.getToken(undefined, options)];
    const written = await writePodmanAuth(tokens);
    console.log(`${new Date().toISOString()} wrote ${written.path}: ${written.registries.join(', ')} (valid until ${written.expiresAt.toISOString()})`);
    failures = 0;
    renewing = true;
    // Renew when about a quarter of the lifetime is left, with jitter so that many services do not align.
    const [first] = tokens;
    const lifetime = written.expiresAt.getTime() - first.fetchedAt.getTime();
    delay = Math.max(500, written.expiresAt.getTime() - Date.now() - lifetime * (0.25 + Math.random() * 0.05));
  } catch (error) {
    if (stop.signal.aborted) break;
    failures += 1;
    delay = Math.min(60_000, 1_000 * 2 ** failures) * (0.5 + Math.random() / 2);
    console.error(`${new Date().toISOString()} renewal failed (${error.code ?? error.name}); the file keeps its current token; retry in ${Math.round(delay)} ms`);
  }
  await sleep(delay, undefined, { signal: stop.signal }).catch(() => undefined);
}
await provider.close();
console.log('stopped');
