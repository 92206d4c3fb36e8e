// Run by auth-file.mjs: writes one registry's entry into a Docker config.json through the safe writer.
// argv: path, registry host, fetchedAt ms, expiresAt ms. The password arrives on stdin (never in argv).
import { readFileSync } from 'node:fs';
import { writeDockerConfig } from '@ecr-auth/docker-config';
import { AuthorizationToken } from 'ecr-auth';

const [path, registry, fetchedAt, expiresAt] = process.argv.slice(2);
const token = new AuthorizationToken({
  username: 'AWS',
  password: readFileSync(0, 'utf8'),
  registry,
  proxyEndpoint: `https://${registry}`,
  region: 'us-east-1',
  accountId: registry.slice(0, 12),
  kind: 'private',
  fetchedAt: new Date(Number(fetchedAt)),
  expiresAt: new Date(Number(expiresAt)),
});
await writeDockerConfig(token, { path });
