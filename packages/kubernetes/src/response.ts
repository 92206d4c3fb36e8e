/**
 * The `CredentialProviderResponse` and its `cacheDuration`. Pure; no I/O.
 *
 * @module
 */
import { DEFAULT_EXPIRY_MARGINS, effectiveMargins, type ExpiryMargins } from 'ecr-auth';
import type { CredentialProviderApiVersion } from './request.js';

/**
 * The response the kubelet reads from the provider's stdout.
 *
 * @example
 * ```json
 * {"apiVersion":"credentialprovider.kubelet.k8s.io/v1","kind":"CredentialProviderResponse","cacheKeyType":"Registry",
 *  "cacheDuration":"11h29m58s","auth":{"123456789012.dkr.ecr.us-east-1.amazonaws.com":{"username":"AWS","password":"…"}}}
 * ```
 */
export interface CredentialProviderResponse {
  /** The request's `apiVersion`. */
  apiVersion: CredentialProviderApiVersion;
  /** Always `CredentialProviderResponse`. */
  kind: 'CredentialProviderResponse';
  /** Always `Registry`: one ECR token serves every image of a registry. */
  cacheKeyType: 'Registry';
  /** How long the kubelet may keep the answer, as a Go duration (`"5h29m0s"`; `"0s"`: do not cache). */
  cacheDuration: string;
  /** Credentials keyed by the image's registry host. */
  auth: Record<
    string,
    {
      /** The user name (`AWS`). */
      username: string;
      /** The password (the ECR token). */
      password: string;
    }
  >;
}

/**
 * When a token was fetched and when it expires, on the server's clock.
 *
 * @example
 * ```ts
 * const life: TokenLife = { fetchedAt: token.fetchedAt.getTime(), expiresAt: token.expiresAt.getTime(), clockOffsetMs };
 * ```
 */
export interface TokenLife {
  /** Epoch ms, server clock. */
  fetchedAt: number;
  /** Epoch ms, server clock. */
  expiresAt: number;
  /** Server clock minus local clock, ms. */
  clockOffsetMs: number;
}

/**
 * A whole number of seconds as Go's `time.Duration.String()` prints it (`"0s"`, `"45s"`, `"1m0s"`, `"5h59m0s"`).
 *
 * @example
 * ```ts
 * goDuration(5 * 3600 + 59 * 60); // '5h59m0s'
 * goDuration(0); // '0s'
 * ```
 *
 * @param seconds - a duration in seconds; fractions are dropped, a negative value is `0s`.
 * @returns the Go duration string.
 */
export function goDuration(seconds: number): string {
  // Stryker disable next-line EqualityOperator: at 0 both branches give 0
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/**
 * How long the kubelet may keep a token, in whole seconds: until the point where `ecr-auth` would renew it
 * (its refresh-ahead margin), so that the kubelet comes back when a fresh token is due; once that point has
 * passed (a renewal failed, the still-valid token is served), until its safety margin. Never past the safety
 * margin; `0` when the token is inside it.
 *
 * @example
 * ```ts
 * const now = Date.now();
 * cacheDurationSeconds({ fetchedAt: now, expiresAt: now + 12 * 3_600_000, clockOffsetMs: 0 }, now); // 41400 (11h30m) with the default margins
 * ```
 *
 * @param life - the token's life.
 * @param now - local epoch ms; default `Date.now()`.
 * @param margins - the cache margins (`ecr-auth`'s `ExpiryMargins`); default its defaults.
 * @returns seconds, at least 0.
 */
export function cacheDurationSeconds(life: TokenLife, now: number = Date.now(), margins: ExpiryMargins = DEFAULT_EXPIRY_MARGINS): number {
  const { safety, refreshAhead } = effectiveMargins(life.expiresAt - life.fetchedAt, margins);
  const remaining = life.expiresAt - (now + life.clockOffsetMs);
  const untilRefresh = remaining - refreshAhead;
  const untilSafety = remaining - safety;
  const ms = untilRefresh > 0 ? untilRefresh : untilSafety;
  // Stryker disable next-line EqualityOperator: at 0 both branches give 0
  return ms > 0 ? Math.floor(ms / 1000) : 0;
}

/**
 * The response for one image's registry.
 *
 * @example
 * ```ts
 * const response = credentialProviderResponse('credentialprovider.kubelet.k8s.io/v1', '123456789012.dkr.ecr.us-east-1.amazonaws.com', { username: 'AWS', password }, 41400);
 * process.stdout.write(JSON.stringify(response));
 * ```
 *
 * @param apiVersion - the request's.
 * @param registry - the `auth` key: the image's registry host as the image names it.
 * @param credentials - user name and password.
 * @param cacheSeconds - see {@link cacheDurationSeconds}.
 * @returns the response object.
 */
export function credentialProviderResponse(
  apiVersion: CredentialProviderApiVersion,
  registry: string,
  credentials: { username: string; password: string },
  cacheSeconds: number,
): CredentialProviderResponse {
  return {
    apiVersion,
    kind: 'CredentialProviderResponse',
    cacheKeyType: 'Registry',
    cacheDuration: goDuration(cacheSeconds),
    auth: { [registry]: { username: credentials.username, password: credentials.password } },
  };
}
