/**
 * `GetAuthorizationToken` without the AWS SDK, for the fetches direct-route.ts lets through: one signed
 * (SigV4) `POST` over Node's own HTTP client. Loading and initialising the SDK costs more than the whole call
 * otherwise (~30 ms of a cold `ecr-auth get-login-password` on Node 20), and this one call needs none of it.
 * What comes back is what the SDK client would hand over (json-answer.ts reads it as the SDK does); the clock
 * offset is kept as the SDK keeps it.
 *
 * @module
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { DirectRoute } from './direct-route.js';
import { readAnswer, responseHeader, ServiceError, type AuthorizationAnswer, type RawResponse } from './json-answer.js';
import { translateNetworkError } from './network-errors.js';
import type { NetworkSetup } from './request-handler.js';
import { signRootPost } from './sigv4.js';

/** The operation, as ECR's JSON 1.1 protocol names it. */
const TARGET = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken';
/** Says who calls (CloudTrail records it), as the SDK's does. */
const USER_AGENT = `ecr-auth node/${process.versions.node}`;
/** An answer is a few kB; anything much larger is not ECR's. */
const MAX_ANSWER_BYTES = 1024 * 1024;
/** As the SDK: the server's clock is taken over only when it is this far from ours. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * A client for one route. `config.systemClockOffset` is the server's clock minus ours, as the SDK client's.
 */
export class DirectEcrClient {
  /** As the SDK client's `config`: the clock offset it keeps. */
  readonly config = { systemClockOffset: 0 };
  readonly #route: DirectRoute;
  readonly #setup: Pick<NetworkSetup, 'proxyFor' | 'ca' | 'secureContext'>;
  readonly #agent: http.Agent;
  /** The endpoint's host name as Node's HTTP client takes it (an IPv6 address without its brackets). */
  readonly #hostname: string;

  /**
   * @param route - where to send the request and what to sign it with.
   * @param setup - the proxy and CA set-up: the TLS context of the extra CAs, and what the network error
   *   messages say (no proxy applies on this path).
   */
  constructor(route: DirectRoute, setup: Pick<NetworkSetup, 'proxyFor' | 'ca' | 'secureContext'>) {
    this.#route = route;
    this.#setup = setup;
    // Stryker disable next-line Regex: a URL's host has brackets only around an IPv6 address, at its two ends
    this.#hostname = route.endpoint.hostname.replace(/^\[|\]$/g, '');
    // Kept-alive sockets, as the SDK's: a long-running provider reuses its connection. Extra CAs (AWS_CA_BUNDLE,
    // ca_bundle, caBundle) are trusted through the same TLS context as on the SDK's path.
    const secure = route.endpoint.protocol === 'https:';
    const Agent = secure ? https.Agent : http.Agent;
    // Stryker disable next-line ConditionalExpression: an HTTP agent ignores secureContext
    this.#agent = new Agent({ keepAlive: true, ...(secure && setup.secureContext && { secureContext: setup.secureContext() }) });
  }

  /**
   * One `GetAuthorizationToken` call.
   *
   * @param signal - cancels the request.
   * @returns the first authorization data of ECR's answer.
   * @throws an error of the SDK's shape for what ECR answered; Node's error (translated for certificates) for
   *   what the network did.
   */
  async getAuthorizationToken(signal: AbortSignal): Promise<AuthorizationAnswer> {
    const { endpoint, region, credentials } = this.#route;
    const body = '{}';
    const headers = signRootPost(
      { host: endpoint.host, headers: { 'content-type': 'application/x-amz-json-1.1', 'content-length': String(Buffer.byteLength(body)), 'x-amz-target': TARGET }, body },
      credentials,
      { region, service: 'ecr' },
      Date.now() + this.config.systemClockOffset,
    );
    let response: RawResponse;
    try {
      // Unsigned, as the SDK leaves it: what is on the way may rewrite it.
      response = await this.#post({ ...headers, 'user-agent': USER_AGENT }, body, signal);
    } catch (error) {
      throw translateNetworkError(error, { protocol: endpoint.protocol, hostname: this.#hostname, port: endpoint.port ? Number(endpoint.port) : undefined }, this.#setup) ?? error;
    }
    return readAnswer(response, this.#takeServerClock(responseHeader(response.headers, 'date')));
  }

  /** Closes the kept-alive sockets. */
  destroy(): void {
    this.#agent.destroy();
  }

  /** Takes the server's clock when ours is off by more than the SDK tolerates; whether the offset changed. */
  #takeServerClock(date: string | undefined): boolean {
    // Stryker disable next-line ConditionalExpression: Date.parse(undefined) is NaN too
    const server = date === undefined ? Number.NaN : Date.parse(date);
    // Stryker disable next-line EqualityOperator: the Date header has one-second resolution, so no answer is exactly 5 minutes off
    if (Number.isNaN(server) || Math.abs(Date.now() + this.config.systemClockOffset - server) < CLOCK_SKEW_MS) return false;
    this.config.systemClockOffset = server - Date.now();
    return true;
  }

  #post(headers: Record<string, string>, body: string, signal: AbortSignal): Promise<RawResponse> {
    const { endpoint } = this.#route;
    return new Promise((resolve, reject) => {
      // The agent (HTTP or HTTPS) decides the protocol: https.request is this with https.globalAgent by default.
      const request = http.request(
        // Stryker disable next-line StringLiteral: an empty path is Node's '/'
        { protocol: endpoint.protocol, hostname: this.#hostname, port: endpoint.port || undefined, method: 'POST', path: '/', headers, agent: this.#agent, signal },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) {
              response.destroy();
              reject(new ServiceError('ResponseTooLarge', `the answer exceeds ${MAX_ANSWER_BYTES} bytes`, response.statusCode ?? 0, undefined, false));
            } else chunks.push(chunk);
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }
}
