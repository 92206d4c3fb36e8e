// readAnswer reads ECR's JSON 1.1 answers as the SDK's client does (test/direct-client.test.ts compares whole
// fetches on both paths against servers; this pins each rule of the reading on its own).
import { describe, expect, it } from 'vitest';
import { readAnswer, responseHeader, ServiceError, type RawResponse } from './json-answer.js';

const response = (status: number, body: string, headers: RawResponse['headers'] = {}): RawResponse => ({ status, headers, body });

function failure(answer: RawResponse, corrected = false): ServiceError {
  try {
    readAnswer(answer, corrected);
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('readAnswer did not throw');
}

describe('readAnswer: a 2xx answer', () => {
  it('takes the first authorization data, its expiry from epoch seconds to the millisecond', () => {
    const answer = readAnswer(response(200, '{"authorizationData":[{"authorizationToken":"QVdTOnB3","expiresAt":1795826500.1237,"proxyEndpoint":"https://x"},{"authorizationToken":"second"}]}'), false);
    expect(answer).toEqual({ authorizationToken: 'QVdTOnB3', expiresAt: new Date(1795826500124), proxyEndpoint: 'https://x' });
    // Any 2xx is an answer; 300 is not (the control).
    expect(readAnswer(response(299, '{"authorizationData":[{"expiresAt":1}]}'), false).expiresAt).toEqual(new Date(1000));
    expect(failure(response(300, '{}')).$metadata.httpStatusCode).toBe(300);
    expect(failure(response(199, '{}')).$metadata.httpStatusCode).toBe(199);
  });

  it('reads an expiry given as the string of its number, and none when absent or null', () => {
    expect(readAnswer(response(200, '{"authorizationData":[{"expiresAt":"12.5"}]}'), false).expiresAt).toEqual(new Date(12500));
    expect(readAnswer(response(200, '{"authorizationData":[{"expiresAt":null}]}'), false).expiresAt).toBeUndefined();
    expect(readAnswer(response(200, '{"authorizationData":[{}]}'), false).expiresAt).toBeUndefined();
  });

  it.each(['true', '"tomorrow"', '""', '" "', '{}', '"Infinity"'])('refuses an expiry of %s as a deserialization error of the answer’s status', (value) => {
    const error = failure(response(200, `{"authorizationData":[{"expiresAt":${value}}]}`, { 'x-amzn-requestid': 'req-1' }), true);
    expect(error).toMatchObject({ name: 'TypeError', message: 'expiresAt is not an epoch time', $fault: 'client' });
    expect(error.$metadata).toEqual({ httpStatusCode: 200, requestId: 'req-1' });
  });

  it.each(['', '  ', 'null', '[1]', '"text"', '{"authorizationData":{}}', '{"authorizationData":[]}', '{"authorizationData":[null]}', '{"authorizationData":["x"]}'])(
    'finds no data in %j (the fetch then says the answer had no token)',
    (body) => {
      expect(readAnswer(response(200, body), false)).toEqual({ authorizationToken: undefined, expiresAt: undefined, proxyEndpoint: undefined });
    },
  );

  it('refuses a body that is not JSON, with its status', () => {
    const error = failure(response(200, '<html>portal</html>'), true);
    expect(error).toMatchObject({ name: 'SyntaxError', message: 'the answer is not JSON' });
    // A deserialization error never says the clock was corrected (the SDK says so on service errors only).
    expect(error.$metadata).toEqual({ httpStatusCode: 200, requestId: undefined });
  });
});

describe('readAnswer: an error answer', () => {
  it.each([
    { what: 'x-amzn-errortype, its URL part cut', headers: { 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/' }, body: '{"__type":"Other"}', name: 'AccessDeniedException' },
    { what: 'the body’s code', body: '{"code":"ThrottlingException","__type":"Other"}', name: 'ThrottlingException' },
    { what: 'a namespaced __type', body: '{"__type":"com.amazonaws.ecr#InvalidParameterException"}', name: 'InvalidParameterException' },
    { what: 'a bare __type', body: '{"__type":"ServerException"}', name: 'ServerException' },
    { what: 'nothing', body: '{}', name: 'UnknownError' },
    { what: 'an empty type', body: '{"__type":""}', name: 'UnknownError' },
    { what: 'a type that is not a string', body: '{"__type":5}', name: 'UnknownError' },
    { what: 'a body that is not JSON', body: '<html>', name: 'UnknownError' },
    { what: 'a JSON list', body: '[{"__type":"X"}]', name: 'UnknownError' },
  ])('takes its name from $what', ({ headers, body, name }) => {
    expect(failure(response(400, body, headers)).name).toBe(name);
  });

  it('takes the message from message, else Message, else the name', () => {
    expect(failure(response(400, '{"__type":"X","message":"lower","Message":"upper"}')).message).toBe('lower');
    expect(failure(response(400, '{"__type":"X","Message":"upper"}')).message).toBe('upper');
    expect(failure(response(400, '{"__type":"X","message":5}')).message).toBe('X');
  });

  it('says server for 5xx and client below, with the status, request id and a corrected clock', () => {
    expect(failure(response(500, '{}'))).toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 500 } });
    expect(failure(response(499, '{}'))).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 499 } });
    const skewed = failure(response(403, '{"__type":"InvalidSignatureException"}', { 'x-amzn-requestid': ['r-1', 'r-2'] }), true);
    expect(skewed.$metadata).toEqual({ httpStatusCode: 403, requestId: 'r-1', clockSkewCorrected: true });
    expect(failure(response(403, '{}')).$metadata).toEqual({ httpStatusCode: 403, requestId: undefined });
  });
});

describe('responseHeader', () => {
  it('reads the first of repeated values', () => {
    expect(responseHeader({ date: 'a' }, 'date')).toBe('a');
    expect(responseHeader({ 'set-cookie': ['a', 'b'] }, 'set-cookie')).toBe('a');
    expect(responseHeader({}, 'date')).toBeUndefined();
  });
});
