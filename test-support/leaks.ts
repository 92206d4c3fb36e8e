import { inspect } from 'node:util';

/**
 * A per-test-file ledger of everything the code under test printed, logged or threw, and of every secret
 * that was handed out, so that `assertNoLeaks` can prove no secret escaped. The setup file feeds console
 * output in; tests feed logger lines and caught errors in.
 */
const outputs: string[] = [];
const secretSources: (() => readonly string[])[] = [];

/** Records text that a user could see. */
export function recordOutput(text: string): void {
  outputs.push(text);
}

/** Records an error as a user could see it: message, stack, inspect output, cause chain. */
export function recordError(error: unknown): void {
  outputs.push(inspect(error, { depth: 10, showHidden: false }));
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth += 1) {
    outputs.push(current.message, current.stack ?? '', JSON.stringify(current));
    current = current.cause;
  }
}

/** Registers a source of secrets (e.g. an emulator's issued passwords). */
export function registerSecrets(source: () => readonly string[]): void {
  secretSources.push(source);
}

/** A logger (console-like) whose lines go into the ledger. */
export function ledgerLogger(): Record<'debug' | 'info' | 'warn' | 'error', (message: string) => void> {
  const log = (message: string): void => recordOutput(message);
  return { debug: log, info: log, warn: log, error: log };
}

/** Every secret registered so far, with the base64 forms a leak could take. */
export function knownSecrets(): string[] {
  return secretSources.flatMap((source) =>
    source().flatMap((secret) => [secret, Buffer.from(`AWS:${secret}`).toString('base64')]),
  );
}

/** How many texts the ledger holds (for tests of the ledger itself). */
export function ledgerSize(): number {
  return outputs.length;
}

/**
 * Throws if any recorded text contains any registered secret (or a 16-character piece of one, to catch
 * truncated leaks).
 */
export function assertNoLeaks(): void {
  const secrets = knownSecrets();
  for (const text of outputs) {
    for (const secret of secrets) {
      const probe = secret.length > 32 ? secret.slice(8, 24) : secret;
      if (text.includes(probe)) {
        throw new Error(`secret leak: a password (or its base64) appears in recorded output: ${text.slice(0, 80).replace(probe, '<SECRET>')}…`);
      }
    }
  }
}

/** Empties the ledger (between test files). */
export function resetLedger(): void {
  outputs.length = 0;
  secretSources.length = 0;
}
