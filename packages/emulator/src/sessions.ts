/**
 * Temporary credentials handed out by the emulator's STS: issued with a role and an expiry, looked up by
 * access key id when a request is signed with them.
 *
 * @module
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { SigV4Credential } from './sigv4.js';

/**
 * The STS operations that issue temporary credentials, by IAM action name.
 *
 * @example
 * ```ts
 * emulator.issuedSessions().filter((s) => s.operation === ('sts:AssumeRoleWithWebIdentity' satisfies StsOperationName));
 * ```
 */
export type StsOperationName = 'sts:AssumeRole' | 'sts:AssumeRoleWithWebIdentity';

/**
 * Temporary credentials the emulator's STS issued, with the role session they belong to. The secret access
 * key and the session token are secrets: tests hand them to leak scans, never to output.
 *
 * @example
 * ```ts
 * const [session] = emulator.issuedSessions();
 * session.roleArn;     // 'arn:aws:iam::123456789012:role/ecr-pull'
 * session.accessKeyId; // 'ASIA…'
 * ```
 */
export interface IssuedSession {
  /** The access key id, `ASIA` and 16 characters, as STS's temporary keys. */
  readonly accessKeyId: string;
  /** The secret access key. */
  readonly secretAccessKey: string;
  /** The session token, sent by clients in `X-Amz-Security-Token`. */
  readonly sessionToken: string;
  /** When the credentials stop working, epoch milliseconds on the emulator's clock. */
  readonly expiresAtMs: number;
  /** The role assumed, `arn:<partition>:iam::<account>:role/<path/name>`. */
  readonly roleArn: string;
  /** The `RoleSessionName` asked for. */
  readonly sessionName: string;
  /** The session's identity: `arn:<partition>:sts::<account>:assumed-role/<name>/<session name>`. */
  readonly assumedRoleArn: string;
  /** The session's id, `AROA…:<session name>`. */
  readonly assumedRoleId: string;
  /** The operation that issued them. */
  readonly operation: StsOperationName;
  /**
   * Who asked: for `AssumeRole`, the access key id that signed the call; for `AssumeRoleWithWebIdentity`,
   * the web identity token's `sub`.
   */
  readonly requestedBy: string;
  /** The `ExternalId` given to `AssumeRole`, if any. */
  readonly externalId?: string;
}

/** What {@link SessionStore.issue} needs; the keys are made by the store. */
export type SessionRequest = Omit<IssuedSession, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'assumedRoleId'>;

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomChars(count: number): string {
  let out = '';
  for (let i = 0; i < count; i += 1) out += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)];
  return out;
}

/** The temporary credentials issued so far, for the emulator's life. */
export class SessionStore {
  readonly #byKeyId = new Map<string, IssuedSession>();

  /** Issues new temporary credentials for a role session. */
  issue(request: SessionRequest): IssuedSession {
    let accessKeyId: string;
    do accessKeyId = `ASIA${randomChars(16)}`;
    while (this.#byKeyId.has(accessKeyId));
    const session: IssuedSession = {
      ...request,
      accessKeyId,
      secretAccessKey: randomBytes(30).toString('base64'),
      // Real session tokens are several hundred characters of base64.
      sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(420).toString('base64')}`,
      assumedRoleId: `AROA${randomChars(17)}:${request.sessionName}`,
    };
    this.#byKeyId.set(accessKeyId, session);
    return session;
  }

  /** The session of an access key id, expired or not; `undefined` for a key the store never issued. */
  find(accessKeyId: string): IssuedSession | undefined {
    return this.#byKeyId.get(accessKeyId);
  }

  /** Every session issued, oldest first. */
  all(): readonly IssuedSession[] {
    return [...this.#byKeyId.values()];
  }
}

/** The SigV4 credential of a session, for the verifier. */
export function sessionCredential(session: IssuedSession): SigV4Credential {
  return { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken };
}
