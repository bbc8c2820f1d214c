import { AUTH_ENTITIES } from '../auth/auth.entities';
import { REGISTRY_ENTITIES } from '../registry/registry.entities';

/** Every TypeORM entity of the app; each module exports its own list. */
export const ALL_ENTITIES = [...AUTH_ENTITIES, ...REGISTRY_ENTITIES];
