#!/usr/bin/env node
// Warm and cold exec of ecr-auth-credential-provider against `node -e 0` and an empty script: medians of N
// sequential runs, with the environment as is and without NODE_EXTRA_CA_CERTS. The emulator answers over real
// HTTP. Warm: the token is in the cache (what the kubelet pays on every cache miss of its own); cold: an empty
// cache folder per run (the SDK loads, one API call). Needs a build (node scripts/build.mjs).
//   node packages/kubernetes/bench/exec-time.mjs [N]
// Not yet part of `pnpm bench` (scripts/bench.mjs lists its figures; wiring it in is that script's owner's).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '@ecr-auth/emulator';

const BIN = fileURLToPath(new URL('../dist/bin/ecr-auth-credential-provider.cjs', import.meta.url));
const N = Number(process.argv[2] ?? 25);
const scratch = mkdtempSync(join(tmpdir(), 'ecr-auth-k8s-bench-'));
const EMPTY = join(scratch, 'empty.cjs');
writeFileSync(EMPTY, '');
const emulator = await startEmulator({ host: '127.0.0.1', password: 'bench-password' });
const [credential] = emulator.credentials;
const stdin = JSON.stringify({ apiVersion: 'credentialprovider.kubelet.k8s.io/v1', kind: 'CredentialProviderRequest', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1' });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs node with `args` (async: the emulator lives in this process), returns the wall time in ms. */
async function time(args, env, input = '') {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.on('error', () => undefined);
  child.stdin.end(input);
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${args.join(' ')}: exit ${code}: ${stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

try {
  for (const withCa of [true, false]) {
    const base = { ...process.env };
    if (!withCa) delete base.NODE_EXTRA_CA_CERTS;
    for (const key of Object.keys(base)) if (/^(AWS_|ECR_AUTH_|XDG_)/.test(key)) delete base[key];
    const home = mkdtempSync(join(scratch, 'home-'));
    const env = { ...base, HOME: home, AWS_ACCESS_KEY_ID: credential.accessKeyId, AWS_SECRET_ACCESS_KEY: credential.secretAccessKey, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_ECR: emulator.url, AWS_EC2_METADATA_DISABLED: 'true' };
    const runs = { nodeE: [], empty: [], warm: [], cold: [] };
    await time([BIN], env, stdin); // fills the cache
    for (let i = 0; i < N; i += 1) {
      runs.nodeE.push(await time(['-e', '0'], env));
      runs.empty.push(await time([EMPTY], env));
      runs.warm.push(await time([BIN], env, stdin));
      const coldHome = mkdtempSync(join(scratch, 'cold-'));
      runs.cold.push(await time([BIN], { ...env, HOME: coldHome }, stdin));
      rmSync(coldHome, { recursive: true, force: true });
    }
    const [e, f, w, c] = [runs.nodeE, runs.empty, runs.warm, runs.cold].map(median);
    const delta = (x) => `${x - e >= 0 ? '+' : ''}${(x - e).toFixed(1)}`;
    console.log(
      `${withCa ? 'environment as is' : 'without NODE_EXTRA_CA_CERTS'}: node -e 0 ${e.toFixed(1)} ms, empty script ${f.toFixed(1)} ms, ` +
        `warm ${w.toFixed(1)} ms (${delta(w)}), cold ${c.toFixed(1)} ms (${delta(c)}); medians of ${N}`,
    );
  }
} finally {
  await emulator.stop();
  rmSync(scratch, { recursive: true, force: true });
}
