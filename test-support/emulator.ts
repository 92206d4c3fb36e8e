import { startEmulator, type Emulator, type EmulatorOptions } from '@ecr-auth/emulator';
import { EcrTokenProvider, type EcrTokenProviderOptions } from 'ecr-auth';
import { ledgerLogger, registerSecrets } from './leaks.ts';

/**
 * Starts an emulator on 127.0.0.1 whose passwords and STS session secrets the leak scan knows about. Stop it in
 * afterEach/afterAll.
 */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({ host: '127.0.0.1', ...options });
  registerSecrets(() => emulator.issuedPasswords());
  registerSecrets(() => emulator.issuedSessions().flatMap((session) => [session.secretAccessKey, session.sessionToken]));
  return emulator;
}

/** SDK credentials the emulator accepts. */
export function emulatorCredentials(emulator: Emulator): { accessKeyId: string; secretAccessKey: string } {
  const [first] = emulator.credentials;
  if (!first) throw new Error('emulator has no credentials');
  return { accessKeyId: first.accessKeyId, secretAccessKey: first.secretAccessKey };
}

/** A provider pointed at the emulator (both APIs), logging into the leak ledger, with fast retries. */
export function providerFor(emulator: Emulator, options: EcrTokenProviderOptions = {}): EcrTokenProvider {
  return new EcrTokenProvider({
    region: 'us-east-1',
    endpoint: emulator.url,
    publicEndpoint: emulator.url,
    credentials: emulatorCredentials(emulator),
    logger: ledgerLogger(),
    ...options,
    retry: { minDelayMs: 5, maxDelayMs: 50, ...options.retry },
  });
}
