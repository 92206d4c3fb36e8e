// main() embedded in another program leaves the host process as it found it: its warning listeners, its
// environment and its exit code. Only the executables (bin/) silence SDK warnings.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '@ecr-auth/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../test-support/emulator.ts';
import { main } from '../src/index.ts';
import { silenceSdkWarnings } from '../src/silence.ts';

function snapshot() {
  return { warningListeners: process.listeners('warning'), env: { ...process.env }, exitCode: process.exitCode };
}

describe('main() embedded', () => {
  let emulator: Emulator;
  let home: string;
  beforeAll(async () => {
    emulator = await startTestEmulator({ password: 'embedded-main-password' });
    home = await mkdtemp(join(tmpdir(), 'ecr-auth-embed-'));
  });
  afterAll(async () => {
    await emulator.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('leaves warning listeners, the environment and the exit code as they were, for --version and for a fetch', async () => {
    const hostListener = () => undefined;
    process.on('warning', hostListener);
    try {
      const before = snapshot();
      const out: string[] = [];
      const io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => out.push(t) } };
      expect(await main(['--version'], { ...io, env: {} })).toBe(0);
      const [credential] = emulator.credentials;
      const env = {
        HOME: home,
        XDG_CACHE_HOME: join(home, 'cache'),
        XDG_CONFIG_HOME: join(home, 'config'),
        AWS_CONFIG_FILE: join(home, 'aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
        AWS_ACCESS_KEY_ID: credential?.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credential?.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      expect(await main(['get-login-password', '--region', 'us-east-1', '--endpoint-url', emulator.url], { ...io, env }), out.join('')).toBe(0);
      expect(out.join('')).toContain('embedded-main-password');
      const after = snapshot();
      expect(after.warningListeners).toEqual(before.warningListeners);
      expect(after.warningListeners).toContain(hostListener);
      expect(after.env).toEqual(before.env);
      expect(after.exitCode).toBe(before.exitCode);
    } finally {
      process.off('warning', hostListener);
    }
  });

  it('negative control: the executables\' silencing does change the process, and the checks above see it', () => {
    const hostListener = () => undefined;
    process.on('warning', hostListener);
    const before = snapshot();
    const listenersBefore = process.listeners('warning');
    const envBefore = process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'];
    try {
      silenceSdkWarnings();
      expect(process.listeners('warning')).not.toContain(hostListener);
      expect(snapshot().warningListeners).not.toEqual(before.warningListeners);
    } finally {
      // Put the test process back as it was.
      for (const listener of process.listeners('warning')) process.off('warning', listener);
      for (const listener of listenersBefore) if (listener !== hostListener) process.on('warning', listener);
      if (envBefore === undefined) delete process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'];
      else process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = envBefore;
    }
  });
});
