import { Body, Controller, Delete, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorBody } from '../../common/errors/error-body';
import { AppConfig } from '../../config/app-config';
import { AuthError, AuthErrorCode } from '../auth.errors';
import { Public } from '../decorators/access.decorator';
import { NoStore } from '../decorators/no-store.decorator';
import { LoginDto, UserDto } from '../dto/auth.dto';
import { AccessTokens } from '../services/access-tokens';
import { Credentials } from '../services/credentials';
import { SessionsService, type TokenPair } from '../services/sessions.service';
import { UserTokens } from '../services/user-tokens';
import { UsersService } from '../services/users.service';
import { BrowserSessionDto } from './browser-session.dto';
import { CsrfTokens } from './csrf-tokens';
import {
  CSRF_COOKIE,
  REFRESH_COOKIE,
  clearSessionCookies,
  cookieAccessToken,
  csrfHeader,
  setSessionCookies,
} from './session-cookies';

const CSRF_FAILED = 'auth.csrf_failed: X-CSRF-Token is missing or differs from the mlapi_csrf cookie of this session.';

/**
 * The browser's way in (README, "Authentication"): the same sessions as POST /auth/login, but the
 * tokens live in HttpOnly, SameSite=Strict cookies that the page's script cannot read. These routes
 * are public for the guard: they authenticate by the refresh cookie themselves.
 */
@ApiTags('auth')
@Controller('auth/browser-session')
export class BrowserSessionController {
  constructor(
    private readonly credentials: Credentials,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly accessTokens: AccessTokens,
    private readonly userTokens: UserTokens,
    private readonly csrf: CsrfTokens,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Post()
  @HttpCode(200)
  @NoStore()
  @ApiOperation({
    summary:
      'Log in for a browser: sets the session cookies (mlapi_session, mlapi_refresh: HttpOnly; mlapi_csrf: readable) instead of answering tokens.',
  })
  @ApiOkResponse({ type: BrowserSessionDto })
  @ApiUnauthorizedResponse({ type: ErrorBody, description: 'auth.invalid_credentials' })
  @ApiTooManyRequestsResponse({ type: ErrorBody, description: 'auth.too_many_login_attempts (as POST /auth/login)' })
  async login(
    @Body() body: LoginDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BrowserSessionDto> {
    const user = await this.credentials.verify(req.ip, body.email, body.password);
    const pair = await this.sessions.start(user, { ip: req.ip, userAgent: req.headers['user-agent'] });
    return this.answer(req, reply, pair, UserDto.from(user));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @NoStore()
  @ApiOperation({
    summary:
      'Rotate the browser session (the refresh cookie, with X-CSRF-Token): new cookies; a reused refresh cookie revokes the session, as POST /auth/refresh.',
  })
  @ApiOkResponse({ type: BrowserSessionDto })
  @ApiUnauthorizedResponse({
    type: ErrorBody,
    description: 'auth.refresh_token_rejected: no, unknown or used refresh cookie.',
  })
  @ApiForbiddenResponse({ type: ErrorBody, description: CSRF_FAILED })
  async refresh(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BrowserSessionDto> {
    const refreshToken = req.cookies[REFRESH_COOKIE];
    if (!refreshToken)
      throw new AuthError(
        AuthErrorCode.REFRESH_TOKEN_REJECTED,
        'No mlapi_refresh cookie: log in with POST /auth/browser-session',
      );
    const owner = await this.sessions.sessionOfRefreshToken(refreshToken);
    this.checkCsrf(req, owner?.sessionId ?? null);
    const pair = await this.sessions.refresh(refreshToken);
    const user = UserDto.from(await this.users.get(this.accessTokens.verify(pair.accessToken).sub));
    return this.answer(req, reply, pair, user);
  }

  @Public()
  @Delete()
  @HttpCode(204)
  @ApiOperation({
    summary:
      'End the browser session (with X-CSRF-Token when it has cookies): its tokens stop working on every replica and the cookies are cleared.',
  })
  @ApiNoContentResponse({ description: 'Ended (or there was no session): the cookies are cleared.' })
  @ApiForbiddenResponse({ type: ErrorBody, description: CSRF_FAILED })
  async logout(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const refreshToken = req.cookies[REFRESH_COOKIE];
    const accessToken = cookieAccessToken(req.headers, req.cookies);
    const owner =
      (refreshToken ? await this.sessions.sessionOfRefreshToken(refreshToken) : null) ??
      (accessToken ? await this.userTokens.principalOf(accessToken) : null);
    if (refreshToken || accessToken) this.checkCsrf(req, owner?.sessionId ?? null);
    if (owner) await this.sessions.revoke(owner.userId, owner.sessionId, 'logout');
    clearSessionCookies(req, reply, this.config.env.AUTH_COOKIE_SECURE);
  }

  private checkCsrf(req: FastifyRequest, sessionId: string | null): void {
    if (!this.csrf.verify(sessionId, csrfHeader(req.headers), req.cookies[CSRF_COOKIE]))
      throw new AuthError(AuthErrorCode.CSRF_FAILED, CSRF_FAILED.slice('auth.csrf_failed: '.length));
  }

  private answer(req: FastifyRequest, reply: FastifyReply, pair: TokenPair, user: UserDto): BrowserSessionDto {
    const csrfToken = this.csrf.issue(pair.sessionId);
    setSessionCookies(
      req,
      reply,
      {
        accessToken: pair.accessToken,
        accessTtlSeconds: pair.expiresIn,
        refreshToken: pair.refreshToken,
        refreshTtlSeconds: this.config.env.REFRESH_TTL_SECONDS,
        csrfToken,
      },
      this.config.env.AUTH_COOKIE_SECURE,
    );
    return { user, csrfToken, expiresAt: new Date(Date.now() + pair.expiresIn * 1000).toISOString() };
  }
}
