/**
 * Realistic random ECR passwords.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';

/**
 * A random password shaped like the ones ECR hands out: base64 of a JSON document with an
 * encrypted `payload`, a `datakey`, `version`, `type` and `expiration`. It is about 2,500
 * characters long, so the `AWS:<password>` token in base64 is well over 2048 characters, as real
 * tokens are. The content is random bytes: it means nothing and opens nothing.
 *
 * @param expiresAtMs - when the token expires, epoch milliseconds (put in `expiration`)
 *
 * @example
 * ```ts
 * randomEcrPassword(Date.now() + 43_200_000).length; // > 2000
 * ```
 */
export function randomEcrPassword(expiresAtMs: number): string {
  const document = {
    payload: randomBytes(1104).toString('base64'),
    datakey: randomBytes(282).toString('base64'),
    version: '2',
    type: 'DATA_KEY',
    expiration: Math.floor(expiresAtMs / 1000),
  };
  return Buffer.from(JSON.stringify(document), 'utf8').toString('base64');
}
