#!/usr/bin/env node
// A build script step: write Docker's config.json for the registries of the images about to be pushed, then
// push. No `aws ecr get-login-password | docker login`: one API call per region, the password never on a
// command line, the rest of config.json kept as it was.
//
//   node examples/build-and-push.mjs 123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:v1 [more images] [--dry-run]
//
// Standard AWS environment (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_ECR, ...); DOCKER_CONFIG picks the file.
// --dry-run prints the push commands instead of running them (for machines without a Docker engine).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { spawnSync } from 'node:child_process';
import { EcrAuthError, EcrTokenProvider, parseRegistry } from 'ecr-auth';
import { writeDockerConfig } from '@ecr-auth/docker-config';

const dryRun = process.argv.includes('--dry-run');
const images = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
if (images.length === 0) {
  console.error('usage: build-and-push.mjs IMAGE... [--dry-run]');
  process.exit(2);
}

const provider = new EcrTokenProvider();
try {
  // Registries of one region share one token (and one API call).
  const registries = [...new Set(images.map((image) => parseRegistry(image).host))];
  const tokens = await provider.getTokens(registries);
  const written = await writeDockerConfig(tokens);
  console.log(`docker config: ${written.path}: ${written.registries.join(', ')} (valid until ${written.expiresAt.toISOString()})`);
  for (const image of images) {
    if (dryRun) {
      console.log(`would run: docker push ${image}`);
      continue;
    }
    const push = spawnSync('docker', ['push', image], { stdio: 'inherit' });
    if (push.status !== 0) process.exit(push.status ?? 1);
  }
} catch (error) {
  // Typed errors with stable codes; messages never hold a secret.
  console.error(error instanceof EcrAuthError ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await provider.close();
}
