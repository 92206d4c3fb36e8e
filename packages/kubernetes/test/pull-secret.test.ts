// The library's pullSecret is the command's: the object kubectl writes (compared with kubectl itself in the cli's
// kubernetes-secret test), with Kubernetes' name rules.
import { describe, expect, it } from 'vitest';
import { pullSecret as cliPullSecret } from '@ecr-auth/cli';
import { pullSecret } from '../src/index.ts';

describe('pullSecret', () => {
  it('is the CLI command’s own builder (one implementation)', () => {
    expect(pullSecret).toBe(cliPullSecret);
  });

  it('holds username, password and auth per registry', () => {
    const secret = pullSecret({ name: 's', credentials: [{ registry: 'h', username: 'AWS', password: 'p' }] });
    expect(secret).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': expect.any(String) } });
    expect(JSON.parse(Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString('utf8'))).toEqual({ auths: { h: { username: 'AWS', password: 'p', auth: 'QVdTOnA=' } } });
  });

  it('refuses names Kubernetes would refuse', () => {
    expect(() => pullSecret({ name: 'Bad_Name', credentials: [{ registry: 'h', username: 'AWS', password: 'p' }] })).toThrow(/not a valid Secret name/);
    expect(() => pullSecret({ name: 'ok', namespace: 'a.b', credentials: [{ registry: 'h', username: 'AWS', password: 'p' }] })).toThrow(/not a valid namespace/);
    expect(() => pullSecret({ name: 'ok', credentials: [] })).toThrow(/at least one/);
  });
});
