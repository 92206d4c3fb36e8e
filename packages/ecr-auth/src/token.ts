import { inspect } from 'node:util';

/** Whether a token is for private ECR (`*.dkr.ecr.*`) or ECR Public (`public.ecr.aws`). */
export type RegistryKind = 'private' | 'public';

/** The fields of an {@link AuthorizationToken}, as passed to its constructor. */
export interface AuthorizationTokenInit {
  /** The user name docker must send; `AWS` for every ECR token. */
  username: string;
  /** The secret. Held privately; read it with {@link AuthorizationToken.revealPassword}. */
  password: string;
  /** The registry host this token is addressed to, bare (no scheme, no path). */
  registry: string;
  /** The proxy endpoint ECR returned, e.g. `https://123456789012.dkr.ecr.us-east-1.amazonaws.com`. */
  proxyEndpoint: string;
  /** The AWS region the token was issued in. */
  region: string;
  /** The 12-digit account id of the registry, when known. */
  accountId?: string | undefined;
  /** Private ECR or ECR Public. */
  kind: RegistryKind;
  /** When the token was fetched, on the server's clock. */
  fetchedAt: Date;
  /** When the token stops working, on the server's clock. */
  expiresAt: Date;
}

const REDACTED = '[redacted]';

/**
 * An ECR authorization token: the user name and password a container tool sends to one registry, and
 * when they stop working.
 *
 * The password is never part of `JSON.stringify`, `String()`, `util.inspect` or `console.log` output;
 * read it with {@link AuthorizationToken.revealPassword} or {@link AuthorizationToken.revealBasicAuth}.
 *
 * @example
 * ```ts
 * const token = await getToken('123456789012.dkr.ecr.us-east-1.amazonaws.com');
 * console.log(token); // AuthorizationToken { registry: '1234…', username: 'AWS', password: '[redacted]', … }
 * await pushWith(token.username, token.revealPassword());
 * ```
 */
export class AuthorizationToken {
  /** The user name docker must send; `AWS` for every ECR token. */
  readonly username: string;
  /** The registry host this token is addressed to, bare (no scheme, no path). */
  readonly registry: string;
  /** The proxy endpoint ECR returned, e.g. `https://123456789012.dkr.ecr.us-east-1.amazonaws.com`. */
  readonly proxyEndpoint: string;
  /** The AWS region the token was issued in. */
  readonly region: string;
  /** The 12-digit account id of the registry, when known. */
  readonly accountId: string | undefined;
  /** Private ECR or ECR Public. */
  readonly kind: RegistryKind;
  /** When the token was fetched, on the server's clock. */
  readonly fetchedAt: Date;
  /** When the token stops working, on the server's clock. */
  readonly expiresAt: Date;
  readonly #password: string;

  /** @param init - the token's fields; see {@link AuthorizationTokenInit}. */
  constructor(init: AuthorizationTokenInit) {
    this.username = init.username;
    this.#password = init.password;
    this.registry = init.registry;
    this.proxyEndpoint = init.proxyEndpoint;
    this.region = init.region;
    this.accountId = init.accountId;
    this.kind = init.kind;
    this.fetchedAt = new Date(init.fetchedAt.getTime());
    this.expiresAt = new Date(init.expiresAt.getTime());
    Object.freeze(this);
  }

  /**
   * The password, in clear. Pass it on stdin or in a file of mode 0600; never on a command line or in a log.
   *
   * @returns the password of this token.
   */
  revealPassword(): string {
    return this.#password;
  }

  /**
   * The value of the `auth` field that Docker and the containers tools read: base64 of `username:password`.
   * This is as secret as the password.
   *
   * @returns base64 of `username:password`.
   */
  revealBasicAuth(): string {
    // Buffer.from reads a string as UTF-8.
    return Buffer.from(`${this.username}:${this.#password}`).toString('base64');
  }

  /**
   * The same credentials addressed to another registry. One ECR token serves every registry the caller can
   * reach in its region, so this costs no API call.
   *
   * @param registry - the bare host of the other registry.
   * @param accountId - its account id, when known.
   * @returns a new token for `registry`.
   */
  withRegistry(registry: string, accountId?: string): AuthorizationToken {
    return new AuthorizationToken({
      username: this.username,
      password: this.#password,
      registry,
      proxyEndpoint: `https://${registry}`,
      region: this.region,
      accountId: accountId ?? this.accountId,
      kind: this.kind,
      fetchedAt: this.fetchedAt,
      expiresAt: this.expiresAt,
    });
  }

  /**
   * Milliseconds left before the token expires (negative once expired).
   *
   * @param now - the current time in epoch milliseconds on the server's clock; defaults to `Date.now()`.
   * @returns `expiresAt - now` in milliseconds.
   */
  remainingMs(now: number = Date.now()): number {
    return this.expiresAt.getTime() - now;
  }

  /**
   * Whether the token has expired, or will within `marginMs`.
   *
   * @param now - the current time in epoch milliseconds on the server's clock; defaults to `Date.now()`.
   * @param marginMs - how long before expiry to already count it as expired; defaults to 0.
   * @returns `true` when the token must not be used any more.
   */
  isExpired(now: number = Date.now(), marginMs = 0): boolean {
    return this.remainingMs(now) <= marginMs;
  }

  /**
   * A JSON view without the password.
   *
   * @returns every field but the password, which reads `[redacted]`.
   */
  toJSON(): Record<string, unknown> {
    return {
      registry: this.registry,
      username: this.username,
      password: REDACTED,
      proxyEndpoint: this.proxyEndpoint,
      region: this.region,
      accountId: this.accountId,
      kind: this.kind,
      fetchedAt: this.fetchedAt.toISOString(),
      expiresAt: this.expiresAt.toISOString(),
    };
  }

  /** @returns a one-line description without the password. */
  toString(): string {
    return `AuthorizationToken(${this.username}@${this.registry}, expires ${this.expiresAt.toISOString()})`;
  }

  /** @internal Keeps the password out of `util.inspect` and `console.log`. */
  [inspect.custom](_depth: number, options: object, inspectFn: typeof inspect = inspect): string {
    return `AuthorizationToken ${inspectFn(this.toJSON(), options)}`;
  }
}
