// Public entry of the auth module: what other modules, the app's roles and the scripts may use.
export { AuthModule } from './auth.module';
export { AUTH_CONTROLLERS } from './auth.controllers';
export { AuthGuard, isAllowed } from './auth.guard';
export { BrowserSessions } from './browser-session/browser-sessions';
export { Access, Authenticated, Public, type AccessRule } from './decorators/access.decorator';
export { CurrentPrincipal } from './decorators/current-principal.decorator';
export { principalId, type Principal } from './principal';
export { PageQuery } from './dto/admin.dto';
export { Role } from './entities/user.entity';
export { ApiTokensService } from './services/api-tokens.service';
export { Revocations } from './services/revocations';
export { TokenRevoked, type RevocationEvent } from './token-revoked.event';
export { PasswordHasher } from './services/password-hasher';
export { UsersService } from './services/users.service';
export { AUTH_ERROR_STATUS, AuthError, AuthErrorCode } from './auth.errors';
