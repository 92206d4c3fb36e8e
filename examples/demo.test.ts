// The README's first Quick start command ends in this demo: it must run clean and never print a password.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../test-support/process.ts';

const demo = fileURLToPath(new URL('./demo.mjs', import.meta.url));

describe('examples/demo.mjs (the quick start main job)', () => {
  it('gets tokens from the emulator and writes the three auth files, redacted', async () => {
    const { status, stdout, stderr } = await runProcess(process.execPath, [demo], { timeoutMs: 60_000 });
    expect(status, stderr).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^emulator listening on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(stdout).toContain('123456789012.dkr.ecr.us-east-1.amazonaws.com  user AWS  expires ');
    expect(stdout).toContain('public.ecr.aws  user AWS');
    expect(stdout).toContain('API calls: {"ecr:GetAuthorizationToken":1,"ecr-public:GetAuthorizationToken":1}');
    for (const file of ['docker/config.json', 'containers/podman-auth.json', 'containers/buildah-auth.json']) {
      expect(stdout).toContain(file);
    }
    // Every auth value shown is redacted; base64 of "AWS:" would start every real one.
    expect(stdout.match(/"auth": "\[redacted\]"/g)?.length).toBe(7);
    expect(stdout).not.toContain('QVdTO');
  });
});
