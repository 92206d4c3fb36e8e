import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from './fixtures.js';
import { type OciLayout, writeOciLayout } from './oci-layout.js';
import { type TestRegistry, startRegistry } from './registry.js';
import { isolatedEnv } from './run-tool.js';
import type { ToolSandbox } from './tools.js';

/** A registry, an image to push, and sandboxes, for one test file. */
export interface RealToolsWorld {
  /** The temporary root (removed by `stop`). */
  root: string;
  /** The running registry. */
  registry: TestRegistry;
  /** A hand-made OCI layout to push. */
  layout: OciLayout;
  /** A fresh sandbox (own HOME; storage under a short path, see `ToolSandbox`) named `name`. */
  sandbox(name: string): Promise<ToolSandbox & { home: string }>;
  /** Stops the registry and removes every file. */
  stop(): Promise<void>;
}

/**
 * Starts a registry whose user `AWS` has `password`, writes an OCI layout, and hands out isolated sandboxes.
 *
 * @param password - the registry password (the one the token must carry).
 * @returns the world; call `stop()` in `afterAll`.
 */
export async function startRealToolsWorld(password: string): Promise<RealToolsWorld> {
  const temp = await makeTempDir('ecr-auth-real-tools-');
  const storages: Array<() => Promise<void>> = [];
  try {
    const registry = await startRegistry({ dir: join(temp.path, 'registry'), password });
    const layout = await writeOciLayout(join(temp.path, 'oci'));
    return {
      root: temp.path,
      registry,
      layout,
      async sandbox(name) {
        const home = join(temp.path, 'sandboxes', name, 'home');
        await mkdir(home, { recursive: true });
        // podman refuses a --runroot longer than 50 characters: keep storage under a short folder.
        const storage = await makeTempDir('er-');
        storages.push(storage.cleanup);
        return { home, env: isolatedEnv(home), storage: storage.path };
      },
      async stop() {
        await registry.stop();
        await Promise.all(storages.map((cleanup) => cleanup()));
        await temp.cleanup();
      },
    };
  } catch (error) {
    await temp.cleanup();
    throw error;
  }
}
