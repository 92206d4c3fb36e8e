// Shared helpers of the emulator's tests (not part of the package).
import { request } from 'node:http';
import { ECRClient, type ECRClientConfig } from '@aws-sdk/client-ecr';
import { ECRPUBLICClient, type ECRPUBLICClientConfig } from '@aws-sdk/client-ecr-public';
import type { Emulator } from '../src/index.ts';

/** A raw HTTP answer. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Sends one raw HTTP request with exactly the given headers (no SDK in between). */
export function rawRequest(
  url: string,
  options: { method?: string; path?: string; headers?: readonly (readonly [string, string])[]; body?: string },
): Promise<RawResponse> {
  const { hostname, port, host } = new URL(url);
  const given = options.headers ?? [];
  // With headers as a flat array Node adds no Host header itself; HTTP/1.1 servers need one.
  const headers = given.some(([n]) => n.toLowerCase() === 'host') ? given : [['host', host] as const, ...given];
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        method: options.method ?? 'POST',
        path: options.path ?? '/',
        headers: headers.flatMap(([n, v]) => [n, v]),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body ?? '');
  });
}

/** Calls a control endpoint and parses its JSON answer. */
export async function control(
  emulator: Emulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await rawRequest(emulator.url, {
    method,
    path,
    headers: [['content-type', 'application/json']],
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, json: JSON.parse(res.text) as Record<string, unknown> };
}

/** A private ECR client aimed at the emulator with its first credentials. */
export function ecrClient(emulator: Emulator, config: ECRClientConfig = {}): ECRClient {
  const credential = emulator.credentials[0];
  if (credential === undefined) throw new Error('the emulator has no credentials');
  return new ECRClient({ region: 'us-east-1', endpoint: emulator.url, credentials: credential, ...config });
}

/** An ECR Public client aimed at the emulator with its first credentials. */
export function ecrPublicClient(emulator: Emulator, config: ECRPUBLICClientConfig = {}): ECRPUBLICClient {
  const credential = emulator.credentials[0];
  if (credential === undefined) throw new Error('the emulator has no credentials');
  return new ECRPUBLICClient({ region: 'us-east-1', endpoint: emulator.url, credentials: credential, ...config });
}

/** Decodes `base64(AWS:password)` to the password, checking the user name. */
export function passwordOf(token: string | undefined): string {
  const decoded = Buffer.from(token ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (decoded.slice(0, colon) !== 'AWS') throw new Error('token user is not AWS');
  return decoded.slice(colon + 1);
}

/** Runs `fn` and returns what it threw (fails when it does not throw). */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await fn();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}
