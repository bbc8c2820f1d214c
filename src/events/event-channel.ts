import type { ZodType, ZodTypeDef } from 'zod';

/**
 * `process`: only this process's handlers hear it. `cluster`: this process's handlers at once,
 * and every other replica's through the transport (Redis pub/sub).
 */
export type EventScope = 'process' | 'cluster';

/** A named, typed event; define it once in the module that emits it and export it from its entry. */
export interface EventChannel<T> {
  readonly name: string;
  readonly scope: EventScope;
  /** Checks payloads that arrive from other replicas (they may run another release). */
  readonly schema: ZodType<T, ZodTypeDef, unknown>;
}

/** Names travel as Redis channel names: no glob characters or spaces. */
const NAME = /^[A-Za-z0-9_.-]+$/;

export function defineEvent<T>(
  name: string,
  options: { scope: EventScope; schema: ZodType<T, ZodTypeDef, unknown> },
): EventChannel<T> {
  if (!NAME.test(name)) throw new Error(`event name ${JSON.stringify(name)} must be letters, digits, '.', '_' or '-'`);
  return Object.freeze({ name, scope: options.scope, schema: options.schema });
}
