// The proxy agents cost nothing until a proxy or extra CA is configured: not on import, not on a plain fetch.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emulatorCredentials, startTestEmulator } from '../../../test-support/emulator.ts';
import { startForwardProxy } from '../../../test-support/forward-proxy.ts';
import { runProcess } from '../../../test-support/process.ts';

const tracer = fileURLToPath(new URL('../../../test-support/trace-imports.mjs', import.meta.url));
const dist = pathToFileURL(fileURLToPath(new URL('../dist/bundle/index.js', import.meta.url))).href;
/** The agents, bundled (routing-agent chunk) or installed (their packages). */
const isAgentModule = (url: string): boolean => /routing-agent|agent-base|https?-proxy-agent/.test(url);

async function loadedBy(script: string, env: NodeJS.ProcessEnv = {}): Promise<{ loaded: string[]; stdout: string }> {
  const child = await runProcess(process.execPath, ['--import', tracer, '--input-type=module', '-e', script], {
    env: { PATH: process.env['PATH'], HOME: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent', ...env },
    timeoutMs: 30_000,
  });
  const lines = child.stderr.split('\n');
  expect(child.status, lines.filter((line) => !line.startsWith('LOADED ')).join('\n')).toBe(0);
  return { loaded: lines.filter((line) => line.startsWith('LOADED ')).map((line) => line.slice(7)), stdout: child.stdout };
}

describe('the proxy agents load only when needed', () => {
  it('not on import, not on a fetch without proxy or CA; on a fetch through HTTP_PROXY (the control)', async () => {
    const emulator = await startTestEmulator();
    const proxy = await startForwardProxy();
    try {
      const { accessKeyId, secretAccessKey } = emulatorCredentials(emulator);
      const fetchScript = `
        const { EcrTokenProvider } = await import(${JSON.stringify(dist)});
        const provider = new EcrTokenProvider({ region: 'us-east-1', endpoint: ${JSON.stringify(emulator.url)},
          credentials: { accessKeyId: ${JSON.stringify(accessKeyId)}, secretAccessKey: ${JSON.stringify(secretAccessKey)} } });
        console.log((await provider.getToken()).registry);
        await provider.close();`;

      const imported = await loadedBy(`await import(${JSON.stringify(dist)});`);
      expect(imported.loaded.filter(isAgentModule)).toEqual([]);

      const direct = await loadedBy(fetchScript);
      expect(direct.stdout.trim()).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com');
      expect(direct.loaded.filter(isAgentModule)).toEqual([]);
      expect(proxy.total()).toBe(0);

      const proxied = await loadedBy(fetchScript, { HTTP_PROXY: proxy.url });
      expect(proxied.stdout.trim()).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com');
      expect(proxied.loaded.filter(isAgentModule).length).toBeGreaterThan(0);
      expect(proxy.total()).toBe(1);
    } finally {
      await Promise.all([emulator.stop(), proxy.stop()]);
    }
  });
});
