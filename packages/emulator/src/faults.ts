/**
 * Fault injection: a queue of failures the next API requests run into.
 *
 * @module
 */
import { OPERATION_NAMES, type OperationName } from './operations.js';

/** The kinds of fault the emulator can inject. */
export const FAULT_KINDS = ['throttle', 'server-error', 'reset', 'delay', 'access-denied'] as const;

/**
 * What an injected fault does to a request:
 * - `throttle`: 400 `ThrottlingException` "Rate exceeded";
 * - `server-error`: 500 `ServerException`;
 * - `reset`: the socket is destroyed without a response;
 * - `delay`: the answer is held back for `ms` milliseconds, then given normally;
 * - `access-denied`: 400 `AccessDeniedException` in AWS's IAM wording.
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * A fault to inject: the next `count` API requests (1 when omitted) fail as `kind` says.
 *
 * @example
 * ```ts
 * emulator.injectFault({ kind: 'throttle', count: 2 });
 * emulator.injectFault({ kind: 'delay', ms: 250 });
 * ```
 */
export interface Fault {
  /** What happens to the request. */
  readonly kind: FaultKind;
  /**
   * How many requests it applies to. A positive integer, at most 1,000,000.
   *
   * @defaultValue `1`
   */
  readonly count?: number | undefined;
  /** For `delay` only, and required there: how long to hold the answer, 0..600,000 ms. */
  readonly ms?: number | undefined;
  /**
   * The operation it applies to, such as `sts:AssumeRole`; requests of other operations pass it by.
   *
   * @defaultValue every operation
   */
  readonly operation?: OperationName | undefined;
}

/** The largest `count` of a fault. */
export const MAX_FAULT_COUNT = 1_000_000;

/** The largest `ms` of a `delay` fault: 10 minutes. */
export const MAX_FAULT_DELAY_MS = 600_000;

/** A checked fault, as {@link parseFault} returns it. */
export interface ParsedFault {
  /** What happens to the request. */
  readonly kind: FaultKind;
  /** How many requests it applies to. */
  readonly count: number;
  /** For `delay`: how long to hold the answer, ms. */
  readonly ms?: number;
  /** The operation it applies to; every one when absent. */
  readonly operation?: OperationName;
}

/** A fault as it applies to one request. */
export interface ActiveFault {
  /** What happens to the request. */
  readonly kind: FaultKind;
  /** For `delay`: milliseconds to wait; 0 otherwise. */
  readonly ms: number;
}

/**
 * Thrown by {@link Emulator.injectFault} (and the HTTP fault endpoint) for a fault description that is not valid.
 *
 * @example
 * ```ts
 * import { InvalidFaultError, startEmulator } from '@ecr-auth/emulator';
 *
 * const emulator = await startEmulator();
 * try {
 *   emulator.injectFault({ kind: 'delay' }); // a delay needs `ms`
 * } catch (error) {
 *   if (error instanceof InvalidFaultError) console.error(error.message);
 * }
 * await emulator.stop();
 * ```
 */
export class InvalidFaultError extends Error {
  /** @param message - what is wrong with the fault */
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFaultError';
  }
}

/**
 * Checks an untrusted fault description (such as the JSON body of `POST /__emulator/faults`).
 *
 * @returns the fault, with `count` filled in
 * @throws {@link InvalidFaultError} saying what is wrong
 *
 * @example
 * ```ts
 * parseFault({ kind: 'delay', ms: 100 }); // { kind: 'delay', count: 1, ms: 100 }
 * ```
 */
export function parseFault(input: unknown): ParsedFault {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidFaultError('a fault must be a JSON object such as {"kind": "throttle", "count": 1}');
  }
  const record = input as Record<string, unknown>;
  const unknownKeys = Object.keys(record).filter((k) => !['kind', 'count', 'ms', 'operation'].includes(k));
  if (unknownKeys.length > 0) {
    throw new InvalidFaultError(`unknown fault field(s): ${unknownKeys.join(', ')}; expected kind, count, ms, operation`);
  }
  const { kind, count, ms, operation } = record;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new InvalidFaultError(`"kind" must be one of ${FAULT_KINDS.join(', ')}`);
  }
  if (count !== undefined && (!Number.isSafeInteger(count) || (count as number) < 1 || (count as number) > MAX_FAULT_COUNT)) {
    throw new InvalidFaultError(`"count" must be an integer from 1 to ${MAX_FAULT_COUNT}`);
  }
  if (kind === 'delay') {
    if (ms === undefined) throw new InvalidFaultError('a "delay" fault needs "ms"');
    if (!Number.isSafeInteger(ms) || (ms as number) < 0 || (ms as number) > MAX_FAULT_DELAY_MS) {
      throw new InvalidFaultError(`"ms" must be an integer from 0 to ${MAX_FAULT_DELAY_MS}`);
    }
  } else if (ms !== undefined) {
    throw new InvalidFaultError('"ms" applies to "delay" faults only');
  }
  if (operation !== undefined && !(OPERATION_NAMES as readonly unknown[]).includes(operation)) {
    throw new InvalidFaultError(`"operation" must be one of ${OPERATION_NAMES.join(', ')}`);
  }
  const fault: ParsedFault = {
    kind: kind as FaultKind,
    count: (count as number | undefined) ?? 1,
    ...(kind === 'delay' ? { ms: ms as number } : {}),
    ...(operation === undefined ? {} : { operation: operation as OperationName }),
  };
  return fault;
}

/** A queued fault and how many more requests it applies to. */
export interface PendingFault {
  /** How the requests fail. */
  kind: FaultKind;
  /** How many more requests it applies to. */
  count: number;
  /** The delay, for `delay` faults. */
  ms?: number;
  /** The operation it applies to; every one when absent. */
  operation?: OperationName;
}

/**
 * The pending faults, first in first out: each request takes one from the oldest fault still pending that
 * applies to its operation.
 */
export class FaultQueue {
  #pending: { kind: FaultKind; ms: number; remaining: number; operation: OperationName | undefined }[] = [];

  /**
   * Queues a fault after those already pending.
   *
   * @throws {@link InvalidFaultError} when the fault is not valid
   */
  add(fault: Fault): void {
    const parsed = parseFault({ ...fault });
    this.#pending.push({ kind: parsed.kind, ms: parsed.ms ?? 0, remaining: parsed.count, operation: parsed.operation });
  }

  /**
   * Takes the fault for the next request of `operation`, or `undefined` when none pending applies to it.
   *
   * @param operation - the request's operation; only faults for every operation apply when omitted
   */
  take(operation?: OperationName): ActiveFault | undefined {
    const index = this.#pending.findIndex((f) => f.operation === undefined || f.operation === operation);
    const fault = this.#pending[index];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#pending.splice(index, 1);
    return { kind: fault.kind, ms: fault.ms };
  }

  /** The faults still pending, with the number of requests left for each. */
  pending(): PendingFault[] {
    return this.#pending.map((f) => ({
      kind: f.kind,
      count: f.remaining,
      ...(f.kind === 'delay' ? { ms: f.ms } : {}),
      ...(f.operation === undefined ? {} : { operation: f.operation }),
    }));
  }

  /** Drops every pending fault. */
  clear(): void {
    this.#pending = [];
  }
}
