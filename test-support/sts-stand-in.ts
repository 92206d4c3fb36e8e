// A stand-in for STS AssumeRole on 127.0.0.1 (plain HTTP): answers every AssumeRole with fixed temporary
// credentials and records the calls. For tests of role assumption (the emulator has no STS).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Temporary credentials the stand-in hands out. */
export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** A running stand-in. */
export interface StsStandIn {
  readonly url: string;
  readonly port: number;
  /** The `RoleArn` of each AssumeRole call, in order. */
  readonly roleArns: (string | null)[];
  stop(): Promise<void>;
}

/** Starts the stand-in; every AssumeRole gets `credentials`, valid for an hour. */
export async function startStsStandIn(credentials: RoleCredentials): Promise<StsStandIn> {
  const roleArns: (string | null)[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      roleArns.push(new URLSearchParams(body).get('RoleArn'));
      const expiration = new Date(Date.now() + 3_600_000).toISOString();
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>` +
          `<AccessKeyId>${credentials.accessKeyId}</AccessKeyId><SecretAccessKey>${credentials.secretAccessKey}</SecretAccessKey>` +
          `<SessionToken>${credentials.sessionToken}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
          `<AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:test</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/test/test</Arn></AssumedRoleUser>` +
          `</AssumeRoleResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    roleArns,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
