#!/usr/bin/env node
// Another CLI embedding ecr-auth: a deploy tool that needs registry credentials for a tool of its own. It
// gets a token with `getToken`, shows what it got (the password stays redacted), and hands the password to
// the child process on stdin, never on its command line.
//
//   node examples/embed-get-token.mjs [REGISTRY | --public]
//
// Standard AWS environment (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_ECR, AWS_ENDPOINT_URL_ECR_PUBLIC, ...).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { spawnSync } from 'node:child_process';
import { EcrAuthError, getToken } from 'ecr-auth';

const arg = process.argv[2];
const request = arg === '--public' ? { public: true } : arg; // undefined: my own registry in AWS_REGION

/** Exit codes of this tool, by error code (see the ecr-auth docs for the full list). */
const EXIT = { ECR_AUTH_NO_CREDENTIALS: 3, ECR_AUTH_INVALID_CREDENTIALS: 3, ECR_AUTH_ACCESS_DENIED: 4, ECR_AUTH_NETWORK: 5, ECR_AUTH_INVALID_REGISTRY: 2 };

try {
  const token = await getToken(request);
  console.log(`${token.registry}: user ${token.username}, expires ${token.expiresAt.toISOString()}`);
  console.log(JSON.stringify(token)); // safe: the password reads "[redacted]"
  // The child reads the password from stdin (here it only reports its length).
  const child = spawnSync(process.execPath, ['-e', 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(`child got a password of ${s.length} characters on stdin`))'], {
    input: token.revealPassword(),
    encoding: 'utf8',
  });
  process.stdout.write(child.stdout);
} catch (error) {
  if (!(error instanceof EcrAuthError)) throw error;
  console.error(error.message);
  process.exitCode = EXIT[error.code] ?? 1;
}
