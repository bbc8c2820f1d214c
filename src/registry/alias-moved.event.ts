/**
 * "Alias moved": emitted in-process (EventEmitter2, event name below) on the replica that moved
 * it, and published on Redis (RedisService channel below) to every replica, that one included.
 * Listeners that must react on every replica (inference swapping its model) subscribe to Redis.
 */
export const ALIAS_MOVED = 'registry.alias-moved';

export interface AliasMovedEvent {
  modelName: string;
  alias: string;
  /** Version that held the alias before; null when the alias is new. */
  fromVersion: number | null;
  toVersion: number;
  /** Id of the model version now holding the alias. */
  versionId: string;
  actor: string;
  reason: string;
  forced: boolean;
  /** Id of the audit row. */
  auditId: string;
  movedAt: string;
}
