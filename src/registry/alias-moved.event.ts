import { z } from 'zod';
import { defineEvent } from '../events';

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

/** "Alias moved", on every replica: inference swaps the model the alias serves. */
export const AliasMoved = defineEvent<AliasMovedEvent>('registry.alias-moved', {
  scope: 'cluster',
  schema: z.object({
    modelName: z.string(),
    alias: z.string(),
    fromVersion: z.number().int().nullable(),
    toVersion: z.number().int(),
    versionId: z.string(),
    actor: z.string(),
    reason: z.string(),
    forced: z.boolean(),
    auditId: z.string(),
    movedAt: z.string(),
  }),
});
