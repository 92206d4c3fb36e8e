import type { Emulator } from '@ecr-auth/emulator';
import type { AuthorizationToken } from 'ecr-auth';
import { providerFor, startTestEmulator } from '../emulator.ts';
import { registerSecrets } from '../leaks.ts';
import { ECR_HOST, testToken } from './fixtures.js';
import { startRealToolsWorld, type RealToolsWorld } from './world.js';

/** A real registry guarded by the emulator's password, and tokens to reach it. */
export interface EcrRegistryWorld {
  /** The registry, the image layout and sandboxes for the tools. */
  world: RealToolsWorld;
  /** The emulator that issued {@link EcrRegistryWorld.token}. */
  emulator: Emulator;
  /** From the emulator through the real SDK, addressed to the local registry. */
  token: AuthorizationToken;
  /** The same registry with a wrong password: the negative control. */
  wrong: AuthorizationToken;
  /** Stops the registry and the emulator. */
  stop(): Promise<void>;
}

/**
 * Starts the end-to-end set-up the adapter tests share: an emulator with a fixed password, a real registry
 * whose user `AWS` has that password, a token got through the real SDK (then addressed to the registry, since
 * it listens on 127.0.0.1, not an ECR host name), and a token with a wrong password. Both passwords join the
 * leak scan.
 */
export async function startEcrRegistryWorld(password: string, wrongPassword: string): Promise<EcrRegistryWorld> {
  registerSecrets(() => [password, wrongPassword]);
  const emulator = await startTestEmulator({ password });
  const world = await startRealToolsWorld(password).catch(async (error: unknown) => {
    await emulator.stop();
    throw error;
  });
  const provider = providerFor(emulator);
  const token = (await provider.getToken(ECR_HOST)).withRegistry(world.registry.host);
  await provider.close();
  return {
    world,
    emulator,
    token,
    wrong: testToken(wrongPassword, world.registry.host),
    stop: async () => {
      await world.stop();
      await emulator.stop();
    },
  };
}
