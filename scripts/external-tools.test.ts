// The one list of external tools (test-support/external-tools.json) and its readers: test-support/tools.ts (the
// tests' skip or failure), the reporter's closing line, and scripts/external-tools.mjs (what .ci/run installs).
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { missingToolsLine } from '../test-support/missing-tools-reporter.ts';
import { EXTERNAL_TOOLS, TOOL_NAMES, installCommand, needTools, toolPath } from '../test-support/tools.ts';

const SCRIPT = fileURLToPath(new URL('external-tools.mjs', import.meta.url));
const onPath = EXTERNAL_TOOLS.filter((tool) => tool.path === undefined).map((tool) => tool.name);

let bin: string;
beforeAll(async () => {
  bin = await mkdtemp(join(tmpdir(), 'ecr-auth-tools-'));
  await symlink('/bin/true', join(bin, 'skopeo'));
});
afterAll(() => rm(bin, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
});

/** The packages scripts/external-tools.mjs (.ci/run) would install with this PATH. */
const scriptPackages = (path: string) =>
  execFileSync(process.execPath, [SCRIPT, '--missing-packages'], { env: { ...process.env, PATH: path }, encoding: 'utf8' }).split('\n').filter(Boolean);

describe('external-tools.json', () => {
  it('names each tool once, in the order of the ToolName list, each with a package or instructions', () => {
    expect(EXTERNAL_TOOLS.map((tool) => tool.name)).toEqual([...TOOL_NAMES]);
    for (const tool of EXTERNAL_TOOLS) expect(tool.apt ?? tool.install, tool.name).toBeTruthy();
  });

  it('.ci/run installs the packages of exactly the tools the tests find missing (same lookup: fixed path, else PATH)', () => {
    vi.stubEnv('PATH', bin);
    vi.stubEnv('ECR_AUTH_REQUIRE_TOOLS', undefined);
    const missing = needTools(...TOOL_NAMES).missing;
    expect(missing).not.toContain('skopeo');
    for (const name of onPath.filter((name) => name !== 'skopeo')) expect(missing).toContain(name);
    const expected = [...new Set(EXTERNAL_TOOLS.filter((tool) => missing.includes(tool.name as never) && tool.apt).map((tool) => tool.apt))];
    expect(scriptPackages(bin)).toEqual(expected);
    expect(installCommand(missing)).toContain(`apt-get install -y ${expected.join(' ')}`);
  });
});

describe('needTools', () => {
  it('finds a tool on PATH, and skips with the tool in the title when it is not there', () => {
    vi.stubEnv('PATH', bin);
    vi.stubEnv('ECR_AUTH_REQUIRE_TOOLS', undefined);
    expect(toolPath('skopeo')).toBe(join(bin, 'skopeo'));
    expect(needTools('skopeo')).toMatchObject({ skip: false, missing: [] });
    expect(needTools('skopeo').title('t')).toBe('t');
    const check = needTools('skopeo', 'podman', 'htpasswd');
    expect(check).toMatchObject({ skip: true, missing: ['podman', 'htpasswd'] });
    expect(check.title('real tools')).toBe('real tools [skipped: missing podman, htpasswd]');
  });

  it('with ECR_AUTH_REQUIRE_TOOLS=1, a missing tool throws, naming it and its package', () => {
    vi.stubEnv('PATH', bin);
    vi.stubEnv('ECR_AUTH_REQUIRE_TOOLS', '1');
    expect(() => needTools('skopeo', 'htpasswd')).toThrow(/ECR_AUTH_REQUIRE_TOOLS=1.*htpasswd \(on PATH\).*apt-get install -y apache2-utils/);
    expect(needTools('skopeo').skip).toBe(false);
  });
});

describe('the closing line', () => {
  it('counts the tests skipped for a tool once each, names the tools in the list order, and says how to install them', () => {
    const line = missingToolsLine([
      'podman auth file [skipped: missing podman, skopeo] > pulls',
      'podman auth file [skipped: missing podman, skopeo] > logs in',
      'network [skipped: missing aws] > over TLS [skipped: missing openssl]',
      'kubectl [skipped: missing kubectl] > prints a Secret',
      'examples under Bun and Deno (skipped: bun not installed) > runs',
    ]);
    const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
    expect(line).toBe(
      `skipped 4 tests: missing skopeo, podman, openssl, aws, kubectl (install: ${sudo}apt-get install -y skopeo podman openssl awscli; ` +
        'kubectl at /usr/bin/kubectl: https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/; ECR_AUTH_REQUIRE_TOOLS=1 makes this a failure)',
    );
    expect(missingToolsLine(['a > b', 'c'])).toBeUndefined();
  });
});
