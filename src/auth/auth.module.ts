import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthGuard } from './auth.guard';
import { AUTH_ENTITIES } from './auth.entities';
import { BearerStrategy } from './bearer.strategy';
import { ApiTokensController } from './controllers/api-tokens.controller';
import { AuthController } from './controllers/auth.controller';
import { UsersController } from './controllers/users.controller';
import { AccessTokens } from './services/access-tokens';
import { ApiTokensService } from './services/api-tokens.service';
import { LoginThrottle } from './services/login-throttle';
import { PasswordHasher } from './services/password-hasher';
import { Revocations } from './services/revocations';
import { SessionsService } from './services/sessions.service';
import { UsersService } from './services/users.service';

@Module({
  imports: [TypeOrmModule.forFeature(AUTH_ENTITIES), PassportModule, JwtModule.register({})],
  controllers: [AuthController, UsersController, ApiTokensController],
  providers: [
    AccessTokens,
    ApiTokensService,
    BearerStrategy,
    LoginThrottle,
    PasswordHasher,
    Revocations,
    SessionsService,
    UsersService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [UsersService],
})
export class AuthModule {}
