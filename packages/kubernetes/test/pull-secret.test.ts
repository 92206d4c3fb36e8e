// The library's pullSecret (a stop-gap until @ecr-auth/cli exports its own) gives the command's Secret, byte for byte.
import { describe, expect, it } from 'vitest';
import { pullSecret as cliPullSecret } from '../../cli/src/kubernetes-secret.ts';
import { pullSecret } from '../src/index.ts';

describe('pullSecret', () => {
  it('is the CLI command’s Secret', () => {
    const options = {
      name: 'ecr-pull',
      namespace: 'apps',
      credentials: [
        { registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com', username: 'AWS', password: 'p<a>s&s:w"o\u2028rd' },
        { registry: 'public.ecr.aws', username: 'AWS', password: 'second' },
      ],
    };
    expect(JSON.stringify(pullSecret(options))).toBe(JSON.stringify(cliPullSecret(options)));
    const { namespace: _ns, ...noNamespace } = options;
    expect(JSON.stringify(pullSecret(noNamespace))).toBe(JSON.stringify(cliPullSecret(noNamespace)));
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
