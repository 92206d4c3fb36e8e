#!/usr/bin/env node
// The main job, end to end, against the bundled emulator: start a local ECR endpoint, get tokens from it over
// HTTP (private ECR's signed and sent by ecr-auth itself, as static keys allow; ECR Public's through the real
// AWS SDK), and write Docker, Podman and Buildah auth files into a temporary folder.
// Passwords are never printed. `npm run quickstart` runs this; `--keep` leaves the folder for a look.
// The AWS SDK warns about Node 20 on stderr; keep the demo's output to what it is about.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '@ecr-auth/emulator';
import { writeDockerConfig } from '@ecr-auth/docker-config';
import { writePodmanAuth } from '@ecr-auth/podman';
import { writeBuildahAuth } from '@ecr-auth/buildah';
import { EcrTokenProvider } from 'ecr-auth';

const keep = process.argv.includes('--keep');
const emulator = await startEmulator({ host: '127.0.0.1' });
const folder = await mkdtemp(join(tmpdir(), 'ecr-auth-demo-'));

/** Shows an auth file with every secret replaced. */
function redacted(text) {
  return text.replace(/("(?:auth|identitytoken|password)"\s*:\s*")[^"]*"/g, '$1[redacted]"');
}

try {
  console.log(`emulator listening on ${emulator.url}`);
  const provider = new EcrTokenProvider({
    region: 'us-east-1',
    endpoint: emulator.url,
    publicEndpoint: emulator.url,
    credentials: emulator.credentials[0],
  });

  const started = performance.now();
  const own = await provider.getToken();
  const cold = performance.now() - started;
  const warmStart = performance.now();
  const other = await provider.getToken('210987654321.dkr.ecr.us-east-1.amazonaws.com/team/app:v1');
  const warm = performance.now() - warmStart;
  const publicToken = await provider.getToken('public.ecr.aws');

  console.log('\ntokens (the password stays hidden):');
  for (const token of [own, other, publicToken]) {
    console.log(`  ${token.registry}  user ${token.username}  expires ${token.expiresAt.toISOString()}`);
  }
  console.log(`  cold getToken ${cold.toFixed(1)} ms, warm (another registry, same region) ${warm.toFixed(3)} ms`);
  // The operations this run called (the emulator counts its STS operations too).
  const calls = Object.fromEntries(Object.entries(emulator.stats().requests).filter(([, count]) => count > 0));
  console.log(`  API calls: ${JSON.stringify(calls)}`);

  const tokens = [own, other];
  const results = [
    await writeDockerConfig([...tokens, publicToken], { configDir: join(folder, 'docker') }),
    await writePodmanAuth(tokens, { authFile: join(folder, 'containers', 'podman-auth.json') }),
    await writeBuildahAuth(tokens, { authFile: join(folder, 'containers', 'buildah-auth.json') }),
  ];
  for (const result of results) {
    console.log(`\n${result.path}  (${result.registries.join(', ')})`);
    console.log(redacted(await readFile(result.path, 'utf8')).trimEnd());
  }
  await provider.close();
} finally {
  await emulator.stop();
  if (keep) console.log(`\nfiles kept in ${folder}`);
  else await rm(folder, { recursive: true, force: true });
}
