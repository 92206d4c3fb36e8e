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

/** Static credentials, or an SDK credentials provider function. */
type Credentials = ReturnType<typeof emulatorCredentials>;

/**
 * The two ways a provider sends `GetAuthorizationToken`: its own signed request (static credentials:
 * ecr-auth's direct-client.ts) and the AWS SDK (a credentials provider function always goes through the SDK).
 * Suites of what the provider does with ECR's answers run on both. `debugLine` is what the provider's debug log
 * says on its own path (and never says on the SDK's).
 */
export const TRANSPORTS = [
  { name: 'own signed request', credentials: (credentials: Credentials): Credentials | (() => Promise<Credentials>) => credentials, direct: true },
  { name: 'AWS SDK', credentials: (credentials: Credentials): Credentials | (() => Promise<Credentials>) => async () => credentials, direct: false },
] as const;

/** One of {@link TRANSPORTS}. */
export type Transport = (typeof TRANSPORTS)[number];

/** What the provider's debug log says when it sends the request itself. */
export const DIRECT_DEBUG_LINE = /signed and sent by ecr-auth itself to .*; the AWS SDK is not loaded/;
