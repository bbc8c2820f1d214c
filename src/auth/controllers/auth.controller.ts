import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorBody } from '../../common/errors/error-body';
import { AppConfig } from '../../config/app-config';
import { AuthError, AuthErrorCode } from '../auth.errors';
import { Authenticated, OpenDuringPasswordChange, Public } from '../decorators/access.decorator';
import { CurrentPrincipal } from '../decorators/current-principal.decorator';
import { NoStore } from '../decorators/no-store.decorator';
import {
  ChangePasswordDto,
  LoginDto,
  RefreshDto,
  RegisterDto,
  SessionDto,
  TokenPairDto,
  UserDto,
} from '../dto/auth.dto';
import type { Principal } from '../principal';
import { Credentials } from '../services/credentials';
import { PasswordsService } from '../services/passwords.service';
import { SessionsService } from '../services/sessions.service';
import { UsersService } from '../services/users.service';

const TOO_MANY_ATTEMPTS =
  'Too many attempts from this address, or for this account from it or from everywhere (logins and password changes count together); see Retry-After.';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly credentials: Credentials,
    private readonly passwords: PasswordsService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('register')
  @ApiOperation({
    summary:
      'Create a `consumer` account (only when AUTH_OPEN_REGISTRATION=true; otherwise admins create users at POST /users).',
  })
  @ApiCreatedResponse({ type: UserDto })
  async register(@Body() body: RegisterDto): Promise<UserDto> {
    if (!this.config.env.AUTH_OPEN_REGISTRATION) {
      throw new AuthError(
        AuthErrorCode.REGISTRATION_CLOSED,
        'Open registration is disabled; an admin creates users with POST /users',
      );
    }
    return UserDto.from(await this.users.create(body.email, body.password, 'consumer'));
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @NoStore()
  @ApiOperation({ summary: 'Exchange email and password for an access token and a refresh token.' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiTooManyRequestsResponse({ type: ErrorBody, description: TOO_MANY_ATTEMPTS })
  async login(@Body() body: LoginDto, @Req() req: FastifyRequest): Promise<TokenPairDto> {
    const user = await this.credentials.verify(req.ip, body.email, body.password);
    return this.sessions.start(user, { ip: req.ip, userAgent: req.headers['user-agent'] });
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @NoStore()
  @ApiOperation({
    summary: 'Rotate a refresh token: returns a new pair; reusing an old refresh token revokes the session.',
  })
  @ApiOkResponse({ type: TokenPairDto })
  refresh(@Body() body: RefreshDto): Promise<TokenPairDto> {
    return this.sessions.refresh(body.refreshToken);
  }

  @Authenticated()
  @OpenDuringPasswordChange()
  @Post('password')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Change your password (with the current one): every other session of yours ends.',
    description:
      'The calling session goes on (its access and refresh tokens keep working); every other session ends on every replica. ' +
      'A wrong current password counts as a failed login (same 401, same throttle). The new password follows the rules of ' +
      'POST /users and differs from the current one. After an admin reset this is the call that lifts auth.password_change_required.',
  })
  @ApiNoContentResponse({ description: 'Changed.' })
  @ApiUnauthorizedResponse({
    type: ErrorBody,
    description: 'auth.invalid_credentials: the current password is wrong (or the token is missing or invalid).',
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorBody,
    description: 'common.validation_failed: a field breaks its rules, or newPassword equals currentPassword.',
  })
  @ApiTooManyRequestsResponse({ type: ErrorBody, description: TOO_MANY_ATTEMPTS })
  async changePassword(
    @Body() body: ChangePasswordDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    await this.passwords.change(asUser(principal), body.currentPassword, body.newPassword, req.ip);
  }

  @Authenticated()
  @OpenDuringPasswordChange()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the current session (its access and refresh tokens stop working).' })
  @ApiNoContentResponse()
  async logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    const user = asUser(principal);
    await this.sessions.revoke(user.userId, user.sessionId, 'logout');
  }

  @Authenticated()
  @OpenDuringPasswordChange()
  @Get('me')
  @ApiOperation({ summary: 'The signed-in user.' })
  @ApiOkResponse({ type: UserDto })
  async me(@CurrentPrincipal() principal: Principal): Promise<UserDto> {
    return UserDto.from(await this.users.get(asUser(principal).userId));
  }

  @Authenticated()
  @Get('sessions')
  @ApiOperation({ summary: 'Your active sessions.' })
  @ApiOkResponse({ type: [SessionDto] })
  async listSessions(@CurrentPrincipal() principal: Principal): Promise<SessionDto[]> {
    const user = asUser(principal);
    const rows = await this.sessions.listActive(user.userId);
    return rows.map((s) => ({
      id: s.id,
      createdAt: s.createdAt,
      lastUsedAt: s.lastUsedAt,
      expiresAt: s.expiresAt,
      userAgent: s.userAgent,
      ip: s.ip,
      current: s.id === user.sessionId,
    }));
  }

  @Authenticated()
  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one of your sessions.' })
  @ApiNoContentResponse()
  async revokeSession(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.sessions.revoke(asUser(principal).userId, id, 'revoked by user');
  }
}

/** These endpoints are about people; an API token has no session or profile. */
function asUser(principal: Principal) {
  if (principal.kind !== 'user')
    throw new AuthError(AuthErrorCode.USER_TOKEN_REQUIRED, 'This endpoint needs a user access token, not an API token');
  return principal;
}
