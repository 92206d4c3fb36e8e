import { describe, expect, it } from 'vitest';
import { FaultQueue, InvalidFaultError, parseFault } from './faults.ts';

describe('parseFault', () => {
  it('accepts each kind, defaulting count to 1', () => {
    expect(parseFault({ kind: 'throttle' })).toEqual({ kind: 'throttle', count: 1 });
    expect(parseFault({ kind: 'server-error', count: 3 })).toEqual({ kind: 'server-error', count: 3 });
    expect(parseFault({ kind: 'reset' })).toEqual({ kind: 'reset', count: 1 });
    expect(parseFault({ kind: 'access-denied', count: 2 })).toEqual({ kind: 'access-denied', count: 2 });
    expect(parseFault({ kind: 'delay', ms: 0 })).toEqual({ kind: 'delay', count: 1, ms: 0 });
  });

  it.each([
    [null, /JSON object/],
    [[], /JSON object/],
    [{}, /"kind" must be one of/],
    [{ kind: 'explode' }, /"kind" must be one of/],
    [{ kind: 'throttle', count: 0 }, /"count" must be an integer/],
    [{ kind: 'throttle', count: 1.5 }, /"count" must be an integer/],
    [{ kind: 'throttle', count: '2' }, /"count" must be an integer/],
    [{ kind: 'throttle', ms: 10 }, /"ms" applies to "delay" faults only/],
    [{ kind: 'delay' }, /needs "ms"/],
    [{ kind: 'delay', ms: -1 }, /"ms" must be an integer/],
    [{ kind: 'delay', ms: 600_001 }, /"ms" must be an integer/],
    [{ kind: 'throttle', times: 2 }, /unknown fault field\(s\): times/],
  ])('refuses %j', (input, message) => {
    expect(() => parseFault(input)).toThrow(InvalidFaultError);
    expect(() => parseFault(input)).toThrow(message);
  });
});

describe('FaultQueue', () => {
  it('hands out faults first in first out, each count times, then nothing', () => {
    const queue = new FaultQueue();
    queue.add({ kind: 'throttle', count: 2 });
    queue.add({ kind: 'delay', ms: 5 });
    expect(queue.pending()).toEqual([
      { kind: 'throttle', count: 2 },
      { kind: 'delay', count: 1, ms: 5 },
    ]);
    expect([queue.take(), queue.take(), queue.take(), queue.take()]).toEqual([
      { kind: 'throttle', ms: 0 },
      { kind: 'throttle', ms: 0 },
      { kind: 'delay', ms: 5 },
      undefined,
    ]);
  });

  it('clears', () => {
    const queue = new FaultQueue();
    queue.add({ kind: 'reset', count: 5 });
    queue.clear();
    expect(queue.take()).toBeUndefined();
  });
});
