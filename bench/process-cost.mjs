// Figure 4: whole-process cost of the executables, each against `node -e 0` and against the AWS CLI v2
// (`aws ecr get-login-password`) on the same emulator. Runs are interleaved (see compareProcesses).
import { AWS_CLI, ECR_HOST, HELPER_BIN, REGION, apiCalls, compareProcesses, emulatorEnv, makeSandbox, runTimed } from './lib.mjs';
import { ms } from './import-cost.mjs';

const hasPassword = (result) => (result.stdout.trim().length > 100 ? undefined : `no password on stdout: ${result.stdout.slice(0, 80)}`);
const hasSecret = (result) => (JSON.parse(result.stdout).Secret?.length > 100 ? undefined : 'no Secret in the answer');

export async function processCost({ emulator, smoke }) {
  const { env, cleanup } = await makeSandbox(emulatorEnv(emulator));
  try {
    const node = process.execPath;
    // Prime the helper's persistent cache: every timed `get` below is warm.
    const prime = await runTimed(node, [HELPER_BIN, 'get'], { env, input: ECR_HOST });
    if (prime.code !== 0) throw new Error(`helper priming: ${prime.stdout}${prime.stderr}`);
    emulator.resetStats();
    const runs = smoke ? 2 : 20;
    const t = await compareProcesses(
      [
        { name: 'node', command: node, args: ['-e', '0'], env },
        { name: 'helper', command: node, args: [HELPER_BIN, 'get'], env, input: ECR_HOST, check: hasSecret },
        { name: 'aws', command: AWS_CLI, args: ['ecr', 'get-login-password', '--endpoint-url', emulator.url, '--region', REGION], env, check: hasPassword },
      ],
      runs,
    );
    // One call per `aws` run (timed runs + the warm-up round); none from the helper. The cold `ecr-auth` is
    // figure 7, on every Node line.
    const calls = apiCalls(emulator);
    const expectedCalls = runs + 1;
    const helperExtra = t.helper.p50 - t.node.p50;
    const pair = (s) => `${ms(s.p50)} / ${ms(s.p90)}`;
    return {
      id: 'process-cost',
      title: '4. Process cost (p50 / p90 wall time)',
      rows: [
        { measure: '`node -e 0`', value: pair(t.node), baseline: '—', ratio: '1.00×', target: '—', met: null },
        { measure: '`aws ecr get-login-password` (AWS CLI v2, /usr/bin/aws)', value: pair(t.aws), baseline: `\`node -e 0\`: ${ms(t.node.p50)}`, ratio: `${(t.aws.p50 / t.node.p50).toFixed(2)}×`, target: '—', met: null },
        {
          measure: '`docker-credential-ecr-auth get`, warm cache',
          value: pair(t.helper),
          baseline: `\`node -e 0\`: ${ms(t.node.p50)}; aws: ${ms(t.aws.p50)}`,
          ratio: `+${ms(helperExtra)}; ${(t.helper.p50 / t.aws.p50).toFixed(2)}× aws`,
          target: 'within 15 ms of `node -e 0`',
          met: helperExtra <= 15,
        },
      ],
      counts: { calls, expectedCalls, helperExtra },
    };
  } finally {
    await cleanup();
  }
}
