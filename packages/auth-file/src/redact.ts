const REDACTED = '[redacted]';

/**
 * Replaces every occurrence of each secret in `text`, and of its base64 form, with `[redacted]`, and trims the
 * text to `maxLength` characters. Used on the output of helpers and tools before it enters an error message.
 *
 * @example
 * ```ts
 * redactSecrets(stderr, [token.revealPassword(), token.revealBasicAuth()]);
 * ```
 *
 * @param text - text that may contain secrets.
 * @param secrets - the secrets; empty strings are ignored.
 * @param maxLength - the longest text returned. Default 2 000.
 * @returns the redacted text.
 */
export function redactSecrets(text: string, secrets: readonly string[], maxLength = 2_000): string {
  let out = text;
  const forms = secrets.filter((s) => s.length > 0).flatMap((s) => [s, Buffer.from(s).toString('base64')]);
  // Longest first, so that a secret containing another is replaced whole.
  for (const form of forms.sort((a, b) => b.length - a.length)) out = out.split(form).join(REDACTED);
  out = out.trim();
  return out.length > maxLength ? `${out.slice(0, maxLength)}…` : out;
}
