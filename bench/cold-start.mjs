// Figure 7: a cold `ecr-auth get-login-password` (no token cache: every run calls the API) against the AWS CLI
// on the same emulator, on every supported Node line (20 here, 22 and 24 from the npm registry), with the
// machine's environment as it is (this machine sets NODE_EXTRA_CA_CERTS, as many corporate machines do) and
// without NODE_EXTRA_CA_CERTS; keys in the environment (ecr-auth signs the call itself) and, for comparison,
// in a profile (through the SDK). "Cold" is a new process with no cached token; V8's code cache (the launcher's,
// packages/cli/src/code-cache.ts) is warm after the untimed warm-up run, as on any machine after the first run.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AWS_CLI, ECR_AUTH_BIN, REGION, apiCalls, compareProcesses, emulatorEnv, makeSandbox } from './lib.mjs';
import { ms } from './import-cost.mjs';

const TARGET = 0.2;
const hasPassword = (result) => (result.stdout.trim().length > 100 ? undefined : `no password on stdout: ${result.stdout.slice(0, 80)}`);

/** The node binary of a major line: this one, or one from the npm registry (installed once into npx's cache). */
function nodeBinary(major) {
  if (process.versions.node.split('.')[0] === String(major)) return process.execPath;
  const found = execFileSync('npx', ['-y', '-p', `node@${major}`, '-c', 'command -v node'], { encoding: 'utf8', timeout: 300_000 }).trim();
  if (!found) throw new Error(`no node@${major} from npx`);
  return found;
}

export async function coldStart({ emulator, smoke }) {
  const lines = smoke ? [Number(process.versions.node.split('.')[0])] : [20, 22, 24];
  const extraCa = process.env['NODE_EXTRA_CA_CERTS'];
  const asIs = extraCa ? { NODE_EXTRA_CA_CERTS: extraCa } : {};
  // Keys in the environment (CI's usual case) let ecr-auth sign the call itself, without the SDK; keys in a
  // profile go through the SDK (its credential chain), shown beside for comparison.
  const variants = [
    [extraCa ? 'as is' : 'as is (no NODE_EXTRA_CA_CERTS set)', asIs, 'env'],
    ...(extraCa ? [['without NODE_EXTRA_CA_CERTS', {}, 'env']] : []),
    [`as is, keys in a profile (through the SDK)`, asIs, 'profile'],
  ];
  const runs = smoke ? 2 : 15;
  const rows = [];
  const counts = { lines: lines.length, variants: variants.length, calls: 0, expectedCalls: 0 };
  emulator.resetStats();
  for (const [label, extra, keys] of variants) {
    const { env, home, cleanup } = await makeSandbox({ ...emulatorEnv(emulator), ...extra });
    try {
      if (keys === 'profile') {
        await writeFile(join(home, '.aws', 'credentials'), `[bench]\naws_access_key_id = ${env.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${env.AWS_SECRET_ACCESS_KEY}\n`, { mode: 0o600 });
        delete env.AWS_ACCESS_KEY_ID;
        delete env.AWS_SECRET_ACCESS_KEY;
        env.AWS_PROFILE = 'bench';
      }
      const commands = [{ name: 'aws', command: AWS_CLI, args: ['ecr', 'get-login-password', '--endpoint-url', emulator.url, '--region', REGION], env, check: hasPassword }];
      for (const major of lines) {
        const node = nodeBinary(major);
        commands.push({ name: `node${major}`, command: node, args: ['-e', '0'], env });
        commands.push({ name: `cli${major}`, command: node, args: [ECR_AUTH_BIN, 'get-login-password', '--region', REGION, '--no-cache'], env, check: hasPassword });
      }
      const t = await compareProcesses(commands, runs);
      counts.expectedCalls += (runs + 1) * (1 + lines.length);
      const headline = keys === 'env' && label.startsWith('as is');
      for (const major of lines) {
        const share = t[`cli${major}`].p50 / t.aws.p50;
        counts[`share${major}${extra.NODE_EXTRA_CA_CERTS ? 'AsIs' : 'NoCa'}${keys === 'profile' ? 'Profile' : ''}`] = Number(share.toFixed(3));
        rows.push({
          measure: `Node ${major}, ${label}: cold \`ecr-auth get-login-password\``,
          value: `${ms(t[`cli${major}`].p50)} / ${ms(t[`cli${major}`].p90)}`,
          baseline: `aws: ${ms(t.aws.p50)}; \`node -e 0\`: ${ms(t[`node${major}`].p50)}`,
          ratio: `${share.toFixed(2)}× aws; +${ms(t[`cli${major}`].p50 - t[`node${major}`].p50)} over node`,
          target: `≤ ${TARGET}× the AWS CLI${headline ? '' : ' (shown for comparison)'}`,
          met: headline ? share <= TARGET : null,
        });
      }
    } finally {
      await cleanup();
    }
  }
  counts.calls = apiCalls(emulator);
  return { id: 'cold-start', title: '7. Cold start on every Node line (p50 / p90 wall time)', rows, counts };
}
