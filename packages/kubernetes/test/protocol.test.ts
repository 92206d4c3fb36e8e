// The pure pieces: request parsing, the response and its cacheDuration, the service-account role precedence.
import { inspect } from 'node:util';
import { DEFAULT_EXPIRY_MARGINS } from 'ecr-auth';
import { describe, expect, it } from 'vitest';
import {
  cacheDurationSeconds,
  credentialProviderResponse,
  CredentialProviderError,
  goDuration,
  imageRegistry,
  parseCredentialProviderRequest,
  serviceAccountEnv,
  serviceAccountRole,
} from '../src/index.ts';
import { V1, V1BETA1 } from './support.ts';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1';
const req = (fields: Record<string, unknown>) => JSON.stringify({ apiVersion: V1, kind: 'CredentialProviderRequest', image: IMAGE, ...fields });
const jwt = (claims: object) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

describe('parseCredentialProviderRequest', () => {
  it('v1 and v1beta1, with the optional service-account fields', () => {
    expect(parseCredentialProviderRequest(req({}))).toEqual({ apiVersion: V1, kind: 'CredentialProviderRequest', image: IMAGE });
    const token = jwt({ sub: 'system:serviceaccount:a:b' });
    expect(parseCredentialProviderRequest(req({ apiVersion: V1BETA1, serviceAccountToken: token, serviceAccountAnnotations: { a: 'b' } }))).toEqual({
      apiVersion: V1BETA1,
      kind: 'CredentialProviderRequest',
      image: IMAGE,
      serviceAccountToken: token,
      serviceAccountAnnotations: { a: 'b' },
    });
  });

  it.each([
    ['{', /not valid JSON/],
    ['null', /JSON object/],
    [req({ apiVersion: 'credentialprovider.kubelet.k8s.io/v1alpha1' }), /unsupported apiVersion/],
    [req({ kind: 'Pod' }), /kind must be/],
    [req({ image: '' }), /no "image"/],
    [req({ image: 42 }), /no "image"/],
    [req({ image: `${IMAGE}\n` }), /whitespace or control/],
    [req({ serviceAccountToken: 1 }), /must be a string/],
    [req({ serviceAccountAnnotations: [] }), /must be an object/],
    [req({ serviceAccountAnnotations: { a: 1 } }), /must be a string/],
    [req({ extra: true }), /unknown field "extra"/],
    [req({ image: 'x'.repeat(300_000) }), /larger than/],
  ])('refuses %#', (text, pattern) => {
    let caught: unknown;
    try {
      parseCredentialProviderRequest(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CredentialProviderError);
    expect((caught as CredentialProviderError).code).toBe('ECR_AUTH_K8S_BAD_REQUEST');
    expect((caught as Error).message).toMatch(pattern);
    expect((caught as Error).message).not.toContain('\n');
  });

  it('the auth key is the image registry as written', () => {
    expect(imageRegistry(IMAGE)).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com');
    expect(imageRegistry('mirror.example.com:5000/library/nginx@sha256:abc')).toBe('mirror.example.com:5000');
    expect(imageRegistry('https://public.ecr.aws/team/app')).toBe('public.ecr.aws');
  });
});

describe('cacheDuration', () => {
  it('Go duration strings', () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(-5)).toBe('0s');
    expect(goDuration(45.9)).toBe('45s');
    expect(goDuration(60)).toBe('1m0s');
    expect(goDuration(3600)).toBe('1h0m0s');
    expect(goDuration(5 * 3600 + 59 * 60)).toBe('5h59m0s');
  });

  const H = 3_600_000;
  const now = 1_800_000_000_000;
  const { safetyMarginMs, refreshAheadMs } = DEFAULT_EXPIRY_MARGINS;

  it('until the refresh point while fresh; then until the safety margin; then 0 ("do not cache")', () => {
    const life = { fetchedAt: now, expiresAt: now + 12 * H, clockOffsetMs: 0 };
    expect(cacheDurationSeconds(life, now)).toBe((12 * H - refreshAheadMs) / 1000);
    const refreshing = now + 12 * H - refreshAheadMs + 1000;
    expect(cacheDurationSeconds(life, refreshing)).toBe(Math.floor((refreshAheadMs - 1000 - safetyMarginMs) / 1000));
    expect(cacheDurationSeconds(life, now + 12 * H - safetyMarginMs)).toBe(0);
    expect(cacheDurationSeconds(life, now + 13 * H)).toBe(0);
  });

  it('never reaches past the safety margin, at any moment of the life, on the server clock', () => {
    for (const offset of [-90_000, 0, 120_000]) {
      const life = { fetchedAt: now + offset, expiresAt: now + offset + 12 * H, clockOffsetMs: offset };
      for (let t = now; t < now + 13 * H; t += 7 * 60_000 + 13) {
        const seconds = cacheDurationSeconds(life, t);
        const serverNow = t + offset;
        // 0 is "do not cache"; any other answer ends before the safety margin.
        if (seconds > 0) expect(serverNow + seconds * 1000).toBeLessThanOrEqual(life.expiresAt - safetyMarginMs);
        else expect(serverNow).toBeGreaterThanOrEqual(life.expiresAt - safetyMarginMs - 1000);
      }
    }
  });

  it('a short token: margins scale with its life', () => {
    const life = { fetchedAt: now, expiresAt: now + 10 * 60_000, clockOffsetMs: 0 };
    expect(cacheDurationSeconds(life, now)).toBe(300); // refresh at half its life
  });

  it('the response', () => {
    expect(credentialProviderResponse(V1BETA1, 'h', { username: 'AWS', password: 'p' }, 41_400)).toEqual({
      apiVersion: V1BETA1,
      kind: 'CredentialProviderResponse',
      cacheKeyType: 'Registry',
      cacheDuration: '11h30m0s',
      auth: { h: { username: 'AWS', password: 'p' } },
    });
  });
});

describe('service-account role precedence', () => {
  const token = jwt({ sub: 'system:serviceaccount:apps:puller' });
  const base = parseCredentialProviderRequest(req({ serviceAccountToken: token }));
  const annotated = { ...base, serviceAccountAnnotations: { 'eks.amazonaws.com/ecr-role-arn': 'arn:aws:iam::111111111111:role/annotation' } };
  const env = { AWS_ECR_ROLE_ARN: 'arn:aws:iam::222222222222:role/env' };
  const config = 'arn:aws:iam::333333333333:role/config';

  it('annotation, else AWS_ECR_ROLE_ARN, else the config; no token: none', () => {
    expect(serviceAccountRole(annotated, env, config)).toMatchObject({ roleArn: 'arn:aws:iam::111111111111:role/annotation', from: 'annotation', subject: 'system:serviceaccount:apps:puller' });
    expect(serviceAccountRole(base, env, config)).toMatchObject({ roleArn: 'arn:aws:iam::222222222222:role/env', from: 'AWS_ECR_ROLE_ARN' });
    expect(serviceAccountRole(base, {}, config)).toMatchObject({ roleArn: config, from: 'config' });
    expect(serviceAccountRole(base, {}, undefined)).toBeUndefined();
    const role = serviceAccountRole(annotated, env, config);
    expect(role?.token).toBe(token);
    expect(JSON.stringify(role)).not.toContain(token);
    expect(inspect(role, { showHidden: false })).not.toContain(token);
    const { serviceAccountToken: _t, ...noToken } = annotated;
    expect(serviceAccountRole(noToken, env, config)).toBeUndefined();
  });

  it('refuses a role that is not a role ARN, and a token with no subject', () => {
    expect(() => serviceAccountRole({ ...base, serviceAccountAnnotations: { 'eks.amazonaws.com/ecr-role-arn': 'arn:aws:iam::1:user/x' } }, {}, undefined)).toThrow(/not an IAM role ARN/);
    expect(() => serviceAccountRole({ ...base, serviceAccountToken: 'opaque' }, env, undefined)).toThrow(/not a JWT with a subject/);
  });

  it('the cache scope differs per role and per service account, and never holds the token', () => {
    const a = serviceAccountEnv({}, { roleArn: 'arn:aws:iam::111111111111:role/r', subject: 'system:serviceaccount:a:x' });
    const b = serviceAccountEnv({}, { roleArn: 'arn:aws:iam::111111111111:role/r', subject: 'system:serviceaccount:b:x' });
    const c = serviceAccountEnv({ ECR_AUTH_CACHE_NAMESPACE: 'mine', AWS_PROFILE: 'node' }, { roleArn: 'arn:aws:iam::111111111111:role/s', subject: 'system:serviceaccount:a:x' });
    expect(new Set([a, b, c].map((e) => e['ECR_AUTH_CACHE_NAMESPACE'])).size).toBe(3);
    expect(c['ECR_AUTH_CACHE_NAMESPACE']).toMatch(/^mine\|/);
    expect(c['AWS_PROFILE']).toBeUndefined();
    expect(JSON.stringify([a, b, c])).not.toContain(token);
    const keys = serviceAccountEnv({}, { roleArn: 'arn:aws:iam::111111111111:role/r', subject: 's' }, { accessKeyId: 'ASIAX', secretAccessKey: 'k', sessionToken: 't' });
    expect(keys).toMatchObject({ AWS_ACCESS_KEY_ID: 'ASIAX', AWS_SECRET_ACCESS_KEY: 'k', AWS_SESSION_TOKEN: 't' });
  });
});
