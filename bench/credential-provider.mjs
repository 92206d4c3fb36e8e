// Figure 8: the kubelet credential provider (`ecr-auth-credential-provider`) per exec, against `node -e 0` and
// the AWS CLI on the same emulator, with the machine's environment as it is and without NODE_EXTRA_CA_CERTS.
// Warm: the token is in the provider's cache (what the kubelet pays for every image whose credentials it has
// not cached itself). Cold: the token cache emptied before every run (one API call; the SDK loads).
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AWS_CLI, ECR_HOST, REGION, REPO_ROOT, apiCalls, compareProcesses, emulatorEnv, makeSandbox, runTimed } from './lib.mjs';
import { ms } from './import-cost.mjs';

export const PROVIDER_BIN = join(REPO_ROOT, 'packages/kubernetes/dist/bin/ecr-auth-credential-provider.cjs');
const WARM_TARGET_MS = 20;
const REQUEST = JSON.stringify({ apiVersion: 'credentialprovider.kubelet.k8s.io/v1', kind: 'CredentialProviderRequest', image: `${ECR_HOST}/team/app:v1` });

const answersWithAuth = (result) => (JSON.parse(result.stdout).auth?.[ECR_HOST]?.password?.length > 100 ? undefined : `no auth for ${ECR_HOST}: ${result.stdout.slice(0, 80)}`);
const hasPassword = (result) => (result.stdout.trim().length > 100 ? undefined : `no password on stdout: ${result.stdout.slice(0, 80)}`);

/** Removes the cached tokens (and fetch locks, cooldowns) of a cache folder; V8's code cache (`v8/`) stays. */
async function emptyTokenCache(folder) {
  const names = await readdir(folder).catch(() => []);
  await Promise.all(names.filter((name) => name !== 'v8').map((name) => rm(join(folder, name), { force: true, recursive: true })));
}

export async function credentialProvider({ emulator, smoke }) {
  const extraCa = process.env['NODE_EXTRA_CA_CERTS'];
  const variants = extraCa ? [['as is', { NODE_EXTRA_CA_CERTS: extraCa }], ['without NODE_EXTRA_CA_CERTS', {}]] : [['as is (no NODE_EXTRA_CA_CERTS set)', {}]];
  const runs = smoke ? 2 : 20;
  const rows = [];
  const counts = { calls: 0, expectedCalls: 0 };
  emulator.resetStats();
  for (const [label, extra] of variants) {
    const { home, env, cleanup } = await makeSandbox({ ...emulatorEnv(emulator), ...extra });
    const coldCache = join(home, 'cold-cache');
    try {
      const prime = await runTimed(process.execPath, [PROVIDER_BIN], { env, input: REQUEST });
      if (prime.code !== 0) throw new Error(`provider priming: ${prime.stdout}${prime.stderr}`);
      const t = await compareProcesses(
        [
          { name: 'node', command: process.execPath, args: ['-e', '0'], env },
          { name: 'warm', command: process.execPath, args: [PROVIDER_BIN], env, input: REQUEST, check: answersWithAuth },
          { name: 'cold', command: process.execPath, args: [PROVIDER_BIN], env: { ...env, ECR_AUTH_CACHE_DIR: coldCache }, input: REQUEST, check: answersWithAuth, before: () => emptyTokenCache(coldCache) },
          { name: 'aws', command: AWS_CLI, args: ['ecr', 'get-login-password', '--endpoint-url', emulator.url, '--region', REGION], env, check: hasPassword },
        ],
        runs,
      );
      // The priming run, then one call per cold and per aws run (warm-up round included); none from warm runs.
      counts.expectedCalls += 1 + 2 * (runs + 1);
      const warmExtra = t.warm.p50 - t.node.p50;
      const asIs = label.startsWith('as is');
      counts[asIs ? 'warmExtraAsIs' : 'warmExtraNoCa'] = Number(warmExtra.toFixed(1));
      rows.push(
        {
          measure: `${label}: warm exec (token cached)`,
          value: `${ms(t.warm.p50)} / ${ms(t.warm.p90)}`,
          baseline: `\`node -e 0\`: ${ms(t.node.p50)}`,
          ratio: `${warmExtra >= 0 ? '+' : ''}${ms(warmExtra)} over node`,
          target: `within ${WARM_TARGET_MS} ms of \`node -e 0\`${asIs ? '' : ' (shown for comparison)'}`,
          met: asIs ? warmExtra <= WARM_TARGET_MS : null,
        },
        {
          measure: `${label}: cold exec (empty token cache, one API call)`,
          value: `${ms(t.cold.p50)} / ${ms(t.cold.p90)}`,
          baseline: `aws: ${ms(t.aws.p50)}; \`node -e 0\`: ${ms(t.node.p50)}`,
          ratio: `${(t.cold.p50 / t.aws.p50).toFixed(2)}× aws; +${ms(t.cold.p50 - t.node.p50)} over node`,
          target: '—',
          met: null,
        },
      );
    } finally {
      await cleanup();
    }
  }
  counts.calls = apiCalls(emulator);
  return { id: 'credential-provider', title: '8. Kubelet credential provider per exec (p50 / p90 wall time)', rows, counts };
}
