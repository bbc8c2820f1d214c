import { AUTH_ENTITIES } from '../auth/auth.entities';
import { DATA_ENTITIES } from '../data/data.entities';
import { MONITORING_ENTITIES } from '../monitoring/monitoring.entities';
import { REGISTRY_ENTITIES } from '../registry/registry.entities';
import { TRAINING_ENTITIES } from '../training/training.entities';

/** Every TypeORM entity of the app; each module exports its own list. */
export const ALL_ENTITIES = [
  ...AUTH_ENTITIES,
  ...DATA_ENTITIES,
  ...REGISTRY_ENTITIES,
  ...TRAINING_ENTITIES,
  ...MONITORING_ENTITIES,
];
