/**
 * The emulator's HTTP server: routes API requests (ECR's JSON 1.1 by `X-Amz-Target`, STS's query protocol by
 * a form body) through SigV4 verification, injected faults and the operations, and serves the
 * `/__emulator/*` control endpoints.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { AwsApiError } from './errors.js';
import { FaultQueue, InvalidFaultError, parseFault, type Fault, type FaultKind, type PendingFault } from './faults.js';
import {
  accessDeniedMessage,
  ECR_PUBLIC_REGION,
  getAuthorizationToken,
  getPublicAuthorizationToken,
  operationForTarget,
  OPERATION_NAMES,
  OPERATIONS,
  type OperationContext,
  type OperationInfo,
  type OperationName,
} from './operations.js';
import { isRegionName, partitionForRegion } from './partitions.js';
import { randomEcrPassword } from './passwords.js';
import { SessionStore, sessionCredential, type IssuedSession } from './sessions.js';
import { verifySigV4, type SigV4Credential, type VerifiedSigV4 } from './sigv4.js';
import { stsAccessDenied, stsError, stsServerError, stsThrottling } from './sts-errors.js';
import {
  assumeRole,
  assumeRoleWithWebIdentity,
  parseRoleArn,
  STS_SIGNING_SERVICE,
  stsOperationFor,
  type StsContext,
} from './sts-operations.js';
import { assumeRoleWithWebIdentityXml, assumeRoleXml, stsErrorXml } from './sts-xml.js';
import type { WebIdentityRules } from './web-identity.js';

/**
 * The credentials the emulator accepts unless told otherwise: AWS's own documentation example
 * pair, which is known to be fake. Set them in `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` to use
 * the emulator out of the box.
 *
 * Not frozen on purpose: the AWS SDK marks the credential objects it is given (it adds a
 * `$source` property), and a frozen object makes it throw.
 */
export const DEFAULT_CREDENTIALS: SigV4Credential = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

/** The account id the emulator answers for unless told otherwise. */
export const DEFAULT_ACCOUNT_ID = '123456789012';

/** The token lifetime unless told otherwise, seconds: 12 hours, as ECR. */
export const DEFAULT_TOKEN_TTL_SECONDS = 43_200;

/** The largest request body the emulator reads, bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Options of {@link startEmulator}; every one has a default. */
export interface EmulatorOptions {
  /**
   * The address to listen on.
   *
   * @defaultValue `'127.0.0.1'`
   */
  readonly host?: string | undefined;
  /**
   * The port.
   *
   * @defaultValue `0` (any free port)
   */
  readonly port?: number | undefined;
  /**
   * The credentials to accept. Temporary credentials the emulator's STS issues are accepted as well, until they
   * expire.
   *
   * @defaultValue `[DEFAULT_CREDENTIALS]` ({@link DEFAULT_CREDENTIALS})
   */
  readonly credentials?: readonly SigV4Credential[] | undefined;
  /**
   * The caller's account id (12 digits).
   *
   * @defaultValue {@link DEFAULT_ACCOUNT_ID}
   */
  readonly accountId?: string | undefined;
  /**
   * Token lifetime in seconds.
   *
   * @defaultValue {@link DEFAULT_TOKEN_TTL_SECONDS}
   */
  readonly tokenTtlSeconds?: number | undefined;
  /**
   * A fixed password for every token.
   *
   * @defaultValue a new random one per token (about 2,500 characters)
   */
  readonly password?: string | undefined;
  /**
   * The proxy endpoint to return instead of the real `https://<account>.dkr.ecr.<region>.<suffix>`;
   * `{account}` and `{region}` in it are replaced.
   *
   * @defaultValue the real `https://<account>.dkr.ecr.<region>.<suffix>`
   */
  readonly proxyEndpoint?: string | undefined;
  /**
   * The emulator's clock is the real clock plus this many seconds (may be negative).
   *
   * @defaultValue `0`
   */
  readonly clockOffsetSeconds?: number | undefined;
  /**
   * Called once per handled request, after the answer (or reset), with facts that hold no secret.
   * An exception it throws is ignored.
   */
  readonly onRequest?: ((event: EmulatorRequestEvent) => void) | undefined;
  /**
   * Serve HTTPS with this certificate and private key (PEM) instead of plain HTTP; {@link Emulator.url} then
   * starts with `https://`. The certificate must name the address clients use (say `IP:127.0.0.1` in its
   * subjectAltName), and clients must trust its CA (`AWS_CA_BUNDLE`, `caBundle`, `NODE_EXTRA_CA_CERTS`).
   *
   * @defaultValue none: plain HTTP.
   * @example
   * ```ts
   * const emulator = await startEmulator({ tls: { cert: readFileSync('server.pem'), key: readFileSync('server.key') } });
   * // emulator.url === 'https://127.0.0.1:PORT'
   * ```
   */
  readonly tls?:
    | {
        /** The certificate chain, PEM: the server certificate first, then any intermediates. */
        readonly cert: string | Buffer;
        /** The certificate's private key, PEM. */
        readonly key: string | Buffer;
      }
    | undefined;
  /**
   * Which web identity tokens STS's `AssumeRoleWithWebIdentity` accepts (issuers, audiences). A token must in
   * any case be a JWT with a signing algorithm, `iss`, `sub`, `aud` and an `exp` still ahead; its signature
   * is not verified.
   *
   * @defaultValue any `https://` issuer, audience `sts.amazonaws.com`.
   * @example
   * ```ts
   * const emulator = await startEmulator({ webIdentity: { issuers: ['https://token.actions.githubusercontent.com'] } });
   * ```
   */
  readonly webIdentity?: WebIdentityRules | undefined;
  /**
   * The role ARNs STS lets callers assume (as trust policies would); other well-formed role ARNs get
   * `AccessDenied`.
   *
   * @defaultValue any well-formed role ARN.
   * @example
   * ```ts
   * const emulator = await startEmulator({ roles: ['arn:aws:iam::123456789012:role/ecr-pull'] });
   * ```
   */
  readonly roles?: readonly string[] | undefined;
}

/** What {@link EmulatorOptions.onRequest} learns about a request; never a secret. */
export interface EmulatorRequestEvent {
  /** The `x-amzn-RequestId` sent back. */
  readonly requestId: string;
  /** HTTP method. */
  readonly method: string;
  /** The request path (no query). */
  readonly path: string;
  /** The operation, for an API request whose target the emulator serves. */
  readonly operation?: OperationName;
  /** The region of the signing scope, once known. */
  readonly region?: string;
  /** The fault applied, if any. */
  readonly fault?: FaultKind;
  /** The HTTP status sent; 0 when the connection was reset. */
  readonly status: number;
  /** The AWS error code sent, for an error. */
  readonly errorType?: string;
  /** The access key id that signed the request (not a secret), once verified. */
  readonly accessKeyId?: string;
  /**
   * Who signed the request, once verified: `arn:aws:iam::<account>:user/emulator` for the configured
   * credentials, `arn:aws:sts::<account>:assumed-role/<role>/<session>` for temporary credentials from the
   * emulator's STS.
   */
  readonly callerArn?: string;
  /**
   * The role involved: for a request signed with temporary credentials from the emulator's STS, their role;
   * for an STS call that issued credentials, the role assumed.
   */
  readonly roleArn?: string;
}

/** API requests that reached each operation; see {@link Emulator.stats}. */
export interface EmulatorStats {
  /** Count per operation. */
  readonly requests: Record<OperationName, number>;
}

/** A running emulator; see {@link startEmulator}. */
export interface Emulator {
  /**
   * Base URL to use as the SDK's `endpoint` or the CLI's `--endpoint-url`, such as `http://127.0.0.1:41234`
   * (`https://…` with {@link EmulatorOptions.tls}).
   */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The address it listens on. */
  readonly host: string;
  /**
   * The credentials it accepts (copies: changing them changes nothing). Hand one to an SDK client
   * as its `credentials`.
   */
  readonly credentials: readonly SigV4Credential[];
  /** The caller's account id. */
  readonly accountId: string;
  /**
   * Counts of API requests per operation: every request whose `X-Amz-Target` (ECR) or `Action` (STS)
   * names an operation is counted when it arrives, whatever happens next (rejected signature, bad input,
   * injected fault, success). Unknown targets and actions, and `/__emulator/*` requests, are not counted.
   */
  stats(): EmulatorStats;
  /** Zeroes the counts of {@link Emulator.stats}. */
  resetStats(): void;
  /** Zeroes the stats and drops pending faults (what `POST /__emulator/reset` does). */
  reset(): void;
  /**
   * Makes the next `fault.count` API requests (of `fault.operation`, or of any operation) that pass SigV4
   * verification fail as `fault.kind` says; `AssumeRoleWithWebIdentity`, which is not signed, takes faults
   * on arrival. Faults queue up, first in first out.
   *
   * @throws {@link InvalidFaultError} for a fault that is not valid
   */
  injectFault(fault: Fault): void;
  /** Drops every pending fault. */
  clearFaults(): void;
  /** The pending faults, with how many requests each still applies to. */
  pendingFaults(): PendingFault[];
  /** Every password handed out so far, oldest first, each once (to scan logs for leaks). */
  issuedPasswords(): readonly string[];
  /**
   * Every set of temporary credentials STS handed out so far, oldest first, with its role and expiry (their
   * secrets included: for leak scans).
   */
  issuedSessions(): readonly IssuedSession[];
  /** The emulator's clock: real time plus the clock offset, epoch milliseconds. */
  now(): number;
  /** Changes the clock offset, seconds (real clock + offset = emulator clock). */
  setClockOffset(seconds: number): void;
  /** Stops listening, ends open connections and pending delays; resolves when closed. */
  stop(): Promise<void>;
}

function fail(message: string): never {
  throw new TypeError(`@ecr-auth/emulator: ${message}`);
}

function checkStsOptions(options: EmulatorOptions): void {
  for (const role of options.roles ?? []) {
    try {
      parseRoleArn(role);
    } catch (error) {
      fail(`roles: ${(error as Error).message}`);
    }
  }
  for (const issuer of options.webIdentity?.issuers ?? []) {
    if (!issuer.startsWith('https://') || !URL.canParse(issuer)) fail(`webIdentity.issuers: ${JSON.stringify(issuer)} is not an https:// URL`);
  }
  const audiences = options.webIdentity?.audiences;
  if (audiences !== undefined && (audiences.length === 0 || audiences.some((a) => a === ''))) {
    fail('webIdentity.audiences must name at least one audience, none empty');
  }
}

function checkOptions(options: EmulatorOptions): void {
  checkStsOptions(options);
  const { port, accountId, tokenTtlSeconds, password, proxyEndpoint, clockOffsetSeconds, credentials } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) fail('port must be an integer 0..65535');
  if (accountId !== undefined && !/^[0-9]{12}$/.test(accountId)) fail('accountId must be 12 digits');
  if (tokenTtlSeconds !== undefined && !(Number.isFinite(tokenTtlSeconds) && tokenTtlSeconds > 0)) {
    fail('tokenTtlSeconds must be a positive number');
  }
  if (password !== undefined && password === '') fail('password must not be empty');
  if (options.tls !== undefined && (!options.tls.cert || !options.tls.key || options.tls.cert.length === 0 || options.tls.key.length === 0)) {
    fail('tls needs both cert and key (PEM)');
  }
  if (proxyEndpoint !== undefined && !URL.canParse(proxyEndpoint.replaceAll('{account}', '0').replaceAll('{region}', 'r'))) {
    fail('proxyEndpoint must be a URL');
  }
  checkClockOffset(clockOffsetSeconds);
  if (credentials !== undefined) {
    if (credentials.length === 0) fail('credentials must not be empty');
    const seen = new Set<string>();
    for (const c of credentials) {
      if (!c.accessKeyId || /[/\s:]/.test(c.accessKeyId)) fail('an access key id must be non-empty without "/", ":" or spaces');
      if (!c.secretAccessKey) fail(`the secret of ${c.accessKeyId} must not be empty`);
      if (c.sessionToken === '') fail(`the session token of ${c.accessKeyId} must not be empty when given`);
      if (seen.has(c.accessKeyId)) fail(`access key id ${c.accessKeyId} is given twice`);
      seen.add(c.accessKeyId);
    }
  }
}

function checkClockOffset(seconds: number | undefined): void {
  if (seconds !== undefined && !Number.isFinite(seconds)) fail('clockOffsetSeconds must be a finite number');
}

function zeroStats(): Record<OperationName, number> {
  return Object.fromEntries(OPERATION_NAMES.map((name) => [name, 0])) as Record<OperationName, number>;
}

/** A request in STS's query protocol: a form POSTed without `X-Amz-Target`. */
function isQueryRequest(req: IncomingMessage): boolean {
  const type = req.headers['content-type'] ?? '';
  return req.method === 'POST' && req.headers['x-amz-target'] === undefined && /^application\/x-www-form-urlencoded\b/i.test(type);
}

/** The errors an injected fault turns into, in the protocol of the request. */
interface FaultErrors {
  readonly throttle: () => AwsApiError;
  readonly serverError: () => AwsApiError;
  readonly accessDenied: () => AwsApiError;
}

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError());
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Pairs Node's flat `rawHeaders` into name/value tuples. */
function headerPairs(raw: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i] as string, raw[i + 1] as string]);
  return pairs;
}

/**
 * Starts an emulator of the ECR and ECR Public `GetAuthorizationToken` endpoints, and of STS's
 * `AssumeRole` and `AssumeRoleWithWebIdentity`, on a local port. It answers for whatever region the
 * request's SigV4 scope names (ECR Public: `us-east-1` only). The temporary credentials STS issues are
 * accepted for every operation until they expire.
 *
 * @throws TypeError for an option that is not valid; rejects when the port cannot be bound
 *
 * @example
 * ```ts
 * import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
 * import { startEmulator, DEFAULT_CREDENTIALS } from '@ecr-auth/emulator';
 *
 * const emulator = await startEmulator({ password: 'secret-password' });
 * try {
 *   const client = new ECRClient({ endpoint: emulator.url, region: 'eu-west-1', credentials: DEFAULT_CREDENTIALS });
 *   const { authorizationData } = await client.send(new GetAuthorizationTokenCommand({}));
 *   // authorizationData[0].proxyEndpoint === 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com'
 * } finally {
 *   await emulator.stop();
 * }
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  checkOptions(options);
  const host = options.host ?? '127.0.0.1';
  const copy = (c: SigV4Credential): SigV4Credential =>
    c.sessionToken === undefined
      ? { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }
      : { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
  const accepted = (options.credentials ?? [DEFAULT_CREDENTIALS]).map(copy);
  const byKeyId = new Map(accepted.map((c) => [c.accessKeyId, c]));
  // Separate copies for callers (not frozen: the AWS SDK adds a property to credential objects).
  const credentials: readonly SigV4Credential[] = accepted.map(copy);
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const sessions = new SessionStore();
  const tokenTtlSeconds = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  let clockOffsetMs = (options.clockOffsetSeconds ?? 0) * 1000;
  const now = (): number => Date.now() + clockOffsetMs;

  let stats = zeroStats();
  const faults = new FaultQueue();
  const issued: string[] = [];
  const issuedSet = new Set<string>();
  const issuePassword = (expiresAtMs: number): string => {
    const password = options.password ?? randomEcrPassword(expiresAtMs);
    if (!issuedSet.has(password)) {
      issuedSet.add(password);
      issued.push(password);
    }
    return password;
  };
  const delays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let stopping = false;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          delays.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      delays.add(entry);
    });

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  };

  const sendApiError = (res: ServerResponse, error: AwsApiError): void => {
    send(res, error.status, error.toJSON(), {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-ErrorType': error.type,
    });
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const json = { 'content-type': 'application/json' };
    const method = req.method ?? 'GET';
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /__emulator/stats':
        send(res, 200, { requests: { ...stats } }, json);
        return;
      case 'GET /__emulator/faults':
        send(res, 200, { pending: faults.pending() }, json);
        return;
      case 'POST /__emulator/faults': {
        let parsed: unknown;
        try {
          parsed = JSON.parse((await readBody(req)).toString('utf8'));
        } catch (error) {
          const message = error instanceof BodyTooLargeError ? 'body too large' : 'the body must be JSON';
          send(res, 400, { message: `invalid fault: ${message}` }, json);
          return;
        }
        try {
          faults.add(parseFault(parsed));
        } catch (error) {
          if (!(error instanceof InvalidFaultError)) throw error;
          send(res, 400, { message: `invalid fault: ${error.message}` }, json);
          return;
        }
        send(res, 200, { pending: faults.pending() }, json);
        return;
      }
      case 'DELETE /__emulator/faults':
        faults.clear();
        send(res, 200, { pending: [] }, json);
        return;
      case 'POST /__emulator/reset':
        stats = zeroStats();
        faults.clear();
        send(res, 200, { requests: { ...stats }, pending: [] }, json);
        return;
      default: {
        const known = ['/__emulator/stats', '/__emulator/faults', '/__emulator/reset'].includes(path);
        send(res, known ? 405 : 404, { message: known ? `method ${method} not allowed on ${path}` : `no such endpoint: ${path}` }, json);
      }
    }
  };

  type Outcome = {
    operation?: OperationName;
    region?: string;
    fault?: FaultKind;
    reset?: boolean;
    protocol?: 'query';
    accessKeyId?: string;
    callerArn?: string;
    roleArn?: string;
  };

  /** Checks a request's signature, accepting the configured credentials and unexpired STS sessions. */
  const verify = (req: IncomingMessage, body: Buffer, service: string, acceptRegion: (region: string) => boolean, outcome: Outcome): VerifiedSigV4 => {
    const verified = verifySigV4(
      { method: req.method ?? 'POST', url: req.url ?? '/', headers: headerPairs(req.rawHeaders), body },
      {
        findCredential: (id) => {
          const session = sessions.find(id);
          return byKeyId.get(id) ?? (session === undefined ? undefined : sessionCredential(session));
        },
        acceptCredential: (credential) => {
          const session = sessions.find(credential.accessKeyId);
          if (session !== undefined && now() >= session.expiresAtMs) {
            throw new AwsApiError('ExpiredTokenException', 'The security token included in the request is expired');
          }
        },
        now: now(),
        expectedService: service,
        acceptRegion,
      },
    );
    const session = sessions.find(verified.credential.accessKeyId);
    outcome.region = verified.region;
    outcome.accessKeyId = verified.credential.accessKeyId;
    outcome.callerArn = session?.assumedRoleArn ?? `arn:${partitionForRegion(verified.region).id}:iam::${accountId}:user/emulator`;
    if (session !== undefined) outcome.roleArn = session.roleArn;
    return verified;
  };

  /**
   * Applies the next pending fault for the operation, if any.
   *
   * @returns false when the request is over (its socket reset, or the emulator stopping during a delay)
   */
  const applyFault = async (req: IncomingMessage, res: ServerResponse, outcome: Outcome, operation: OperationName, errors: FaultErrors): Promise<boolean> => {
    const fault = faults.take(operation);
    if (fault === undefined) return true;
    outcome.fault = fault.kind;
    switch (fault.kind) {
      case 'throttle':
        throw errors.throttle();
      case 'server-error':
        throw errors.serverError();
      case 'access-denied':
        throw errors.accessDenied();
      case 'reset':
        outcome.reset = true;
        req.socket.destroy();
        return false;
      case 'delay':
        await sleep(fault.ms);
        return !(stopping || res.destroyed);
    }
  };

  const sendXml = (res: ServerResponse, status: number, xml: string): void => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'text/xml', 'content-length': String(Buffer.byteLength(xml)) });
    res.end(xml);
  };

  const stsContext = (): StsContext => ({ now: now(), sessions, webIdentity: options.webIdentity ?? {}, roles: options.roles });

  /** An STS request (query protocol): `AssumeRole` signed, `AssumeRoleWithWebIdentity` not. */
  const handleSts = async (req: IncomingMessage, res: ServerResponse, body: Buffer, outcome: Outcome, requestId: string): Promise<void> => {
    outcome.protocol = 'query';
    const form = new URLSearchParams(body.toString('utf8'));
    const operation = stsOperationFor(form);
    outcome.operation = operation.name;
    stats[operation.name] += 1;
    let verified: VerifiedSigV4 | undefined;
    try {
      verified = operation.signed ? verify(req, body, STS_SIGNING_SERVICE, isRegionName, outcome) : undefined;
    } catch (error) {
      throw error instanceof AwsApiError ? stsError(error) : error;
    }
    const roleArn = form.get('RoleArn') ?? '';
    const proceed = await applyFault(req, res, outcome, operation.name, {
      throttle: stsThrottling,
      serverError: stsServerError,
      accessDenied: () => stsAccessDenied(operation.action, outcome.callerArn, roleArn),
    });
    if (!proceed) return;
    if (verified === undefined) {
      const issued = assumeRoleWithWebIdentity(form, stsContext());
      outcome.roleArn = issued.session.roleArn;
      sendXml(res, 200, assumeRoleWithWebIdentityXml(issued, requestId));
      return;
    }
    const caller = {
      accessKeyId: verified.credential.accessKeyId,
      arn: outcome.callerArn ?? '',
      partition: partitionForRegion(verified.region).id,
      temporary: sessions.find(verified.credential.accessKeyId) !== undefined,
    };
    const session = assumeRole(form, caller, stsContext());
    outcome.roleArn = session.roleArn;
    sendXml(res, 200, assumeRoleXml(session, requestId));
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, outcome: Outcome, requestId: string): Promise<void> => {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw new AwsApiError('SerializationException', 'The request body is too large.', 413);
      throw error;
    }
    if (isQueryRequest(req)) {
      await handleSts(req, res, body, outcome, requestId);
      return;
    }
    const targetHeader = req.headers['x-amz-target'];
    const target = typeof targetHeader === 'string' ? targetHeader : undefined;
    const operation: OperationInfo | undefined = req.method === 'POST' ? operationForTarget(target) : undefined;
    if (operation === undefined) {
      throw new AwsApiError(
        'UnknownOperationException',
        req.method === 'POST'
          ? `The operation '${target ?? ''}' is not served here; the emulator serves ${OPERATIONS.map((o) => o.target).join(' and ')}.`
          : `The emulator serves POST requests only, not ${req.method ?? ''}.`,
      );
    }
    outcome.operation = operation.name;
    stats[operation.name] += 1;

    const isPublic = operation.signingService === 'ecr-public';
    const verified = verify(req, body, operation.signingService, isPublic ? (r) => r === ECR_PUBLIC_REGION : isRegionName, outcome);
    const proceed = await applyFault(req, res, outcome, operation.name, {
      throttle: () => new AwsApiError('ThrottlingException', 'Rate exceeded'),
      serverError: () => new AwsApiError('ServerException', 'The emulator was told to fail this request (injected server-error fault).', 500),
      accessDenied: () =>
        new AwsApiError('AccessDeniedException', accessDeniedMessage(operation, accountId, partitionForRegion(verified.region).id, outcome.callerArn)),
    });
    if (!proceed) return;

    let input: unknown = {};
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        throw new AwsApiError('SerializationException', 'The request body is not valid JSON.');
      }
    }
    const context: OperationContext = {
      region: verified.region,
      accountId,
      now: now(),
      tokenTtlSeconds,
      proxyEndpoint: options.proxyEndpoint,
      issuePassword,
    };
    const result = isPublic ? getPublicAuthorizationToken(input, context) : getAuthorizationToken(input, context);
    send(res, 200, result, { 'content-type': 'application/x-amz-json-1.1' });
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = randomUUID();
    res.setHeader('x-amzn-RequestId', requestId);
    res.setHeader('Date', new Date(now()).toUTCString());
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const outcome: Outcome = {};
    const isControl = path.startsWith('/__emulator/');
    const work = isControl ? handleControl(req, res, path) : handleApi(req, res, outcome, requestId);
    work
      .catch((error: unknown) => {
        const apiError =
          error instanceof AwsApiError
            ? error
            : new AwsApiError(outcome.protocol === 'query' ? 'InternalFailure' : 'ServerException', 'The emulator failed to handle the request.', 500);
        if (isControl) {
          send(res, apiError.status, { message: apiError.message }, { 'content-type': 'application/json' });
          return apiError;
        }
        if (outcome.protocol !== 'query') {
          sendApiError(res, apiError);
          return apiError;
        }
        sendXml(res, apiError.status, stsErrorXml(apiError, requestId));
        return apiError;
      })
      .then((apiError) => {
        if (options.onRequest === undefined) return;
        const event: EmulatorRequestEvent = {
          requestId,
          method: req.method ?? '',
          path,
          status: outcome.reset === true ? 0 : res.statusCode,
          ...(outcome.operation === undefined ? {} : { operation: outcome.operation }),
          ...(outcome.region === undefined ? {} : { region: outcome.region }),
          ...(outcome.fault === undefined ? {} : { fault: outcome.fault }),
          ...(apiError instanceof AwsApiError ? { errorType: apiError.type } : {}),
          ...(outcome.accessKeyId === undefined ? {} : { accessKeyId: outcome.accessKeyId }),
          ...(outcome.callerArn === undefined ? {} : { callerArn: outcome.callerArn }),
          ...(outcome.roleArn === undefined ? {} : { roleArn: outcome.roleArn }),
        };
        try {
          options.onRequest(event);
        } catch {
          // A logging hook must not break the emulator.
        }
      })
      .catch(() => undefined);
  };
  const server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handle) : createServer(handle);
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let stopped: Promise<void> | undefined;

  return {
    url,
    port,
    host,
    credentials,
    accountId,
    stats: () => ({ requests: { ...stats } }),
    resetStats: () => {
      stats = zeroStats();
    },
    reset: () => {
      stats = zeroStats();
      faults.clear();
    },
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    pendingFaults: () => faults.pending(),
    issuedPasswords: () => Object.freeze([...issued]),
    issuedSessions: () => Object.freeze(sessions.all()),
    now,
    setClockOffset: (seconds) => {
      checkClockOffset(seconds);
      clockOffsetMs = seconds * 1000;
    },
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        stopping = true;
        for (const entry of delays) {
          clearTimeout(entry.timer);
          entry.resolve();
        }
        delays.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
