/**
 * STS's answers in its XML shape (query protocol): the two operations' results and `ErrorResponse`.
 *
 * @module
 */
import type { AwsApiError } from './errors.js';
import type { IssuedSession } from './sessions.js';
import type { WebIdentitySession } from './sts-operations.js';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Escapes the text of an XML element (`&`, `<`, `>`; quotes need no escape outside attributes). */
export function xmlText(value: string): string {
  return value.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function element(name: string, value: string): string {
  return `<${name}>${xmlText(value)}</${name}>`;
}

/** STS writes expirations as ISO 8601 in UTC without fractions of a second. */
function isoSeconds(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function sessionElements(session: IssuedSession): string {
  return (
    `<AssumedRoleUser>${element('Arn', session.assumedRoleArn)}${element('AssumedRoleId', session.assumedRoleId)}</AssumedRoleUser>` +
    `<Credentials>${element('AccessKeyId', session.accessKeyId)}${element('SecretAccessKey', session.secretAccessKey)}` +
    `${element('SessionToken', session.sessionToken)}${element('Expiration', isoSeconds(session.expiresAtMs))}</Credentials>`
  );
}

function envelope(action: string, result: string, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata>${element('RequestId', requestId)}</ResponseMetadata></${action}Response>`
  );
}

/** The body of a successful `AssumeRole`. */
export function assumeRoleXml(session: IssuedSession, requestId: string): string {
  return envelope('AssumeRole', `${sessionElements(session)}<PackedPolicySize>0</PackedPolicySize>`, requestId);
}

/** The body of a successful `AssumeRoleWithWebIdentity`. */
export function assumeRoleWithWebIdentityXml({ session, claims }: WebIdentitySession, requestId: string): string {
  const provider = claims.issuer.replace(/^https:\/\//, '');
  return envelope(
    'AssumeRoleWithWebIdentity',
    `${element('SubjectFromWebIdentityToken', claims.subject)}${element('Audience', claims.audience)}${sessionElements(session)}${element('Provider', provider)}`,
    requestId,
  );
}

/** The body of an STS error: `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/>`. */
export function stsErrorXml(error: AwsApiError, requestId: string): string {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${NAMESPACE}"><Error>${element('Type', type)}${element('Code', error.type)}` +
    `${element('Message', error.message)}</Error>${element('RequestId', requestId)}</ErrorResponse>`
  );
}
