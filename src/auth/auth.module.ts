import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AUTH_ENTITIES } from './auth.entities';
import { BearerStrategy } from './bearer.strategy';
import { BrowserSessions } from './browser-session/browser-sessions';
import { CsrfTokens } from './browser-session/csrf-tokens';
import { AccessTokens } from './services/access-tokens';
import { ApiTokensService } from './services/api-tokens.service';
import { Credentials } from './services/credentials';
import { LoginThrottle } from './services/login-throttle';
import { PasswordHasher } from './services/password-hasher';
import { PasswordsService } from './services/passwords.service';
import { Revocations } from './services/revocations';
import { SessionsService } from './services/sessions.service';
import { UserTokens } from './services/user-tokens';
import { UsersService } from './services/users.service';

/**
 * Users, sessions, API tokens and the bearer strategy behind the global guard. The controllers
 * and the guard itself are added by the HTTP role (src/roles).
 */
@Module({
  imports: [TypeOrmModule.forFeature(AUTH_ENTITIES), PassportModule, JwtModule.register({})],
  providers: [
    AccessTokens,
    ApiTokensService,
    BearerStrategy,
    BrowserSessions,
    Credentials,
    CsrfTokens,
    LoginThrottle,
    PasswordHasher,
    PasswordsService,
    Revocations,
    SessionsService,
    UsersService,
    UserTokens,
  ],
  exports: [
    AccessTokens,
    ApiTokensService,
    BrowserSessions,
    Credentials,
    CsrfTokens,
    LoginThrottle,
    PasswordHasher,
    PasswordsService,
    Revocations,
    SessionsService,
    UsersService,
    UserTokens,
  ],
})
export class AuthModule {}
