#!/usr/bin/env node
// The `ecr-auth` executable: runs the command's bundle (`ecr-auth-main.cjs`: the command, ecr-auth, the adapters
// and the AWS SDK in one CommonJS file, built by scripts/bundle.mjs) with V8's code cache, so that a cold start
// neither resolves hundreds of modules nor compiles the SDK again.
import { fileURLToPath } from 'node:url';
import { requireWithCodeCache } from '../code-cache.js';
import { cacheDir, cacheDisabled } from '../token-cache.js';

// The build (scripts/bundle.mjs) writes the bundle's content hash in here; unbuilt, the launcher hashes it itself.
declare const ECR_AUTH_MAIN_FINGERPRINT: string | undefined;
const fingerprint = typeof ECR_AUTH_MAIN_FINGERPRINT === 'string' ? ECR_AUTH_MAIN_FINGERPRINT : undefined;

requireWithCodeCache(fileURLToPath(new URL('./ecr-auth-main.cjs', import.meta.url)), cacheDisabled(process.env) ? undefined : cacheDir(process.env), fingerprint);
