import { ApiTokenEntity } from './entities/api-token.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { SessionEntity } from './entities/session.entity';
import { UserEntity } from './entities/user.entity';

export const AUTH_ENTITIES = [UserEntity, SessionEntity, RefreshTokenEntity, ApiTokenEntity];
