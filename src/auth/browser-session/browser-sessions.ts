import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../principal';
import { UserTokens } from '../services/user-tokens';
import { cookieAccessToken } from './session-cookies';

/** For pages outside the guard's JSON answers (the dashboard redirects instead): who the session cookie names. */
@Injectable()
export class BrowserSessions {
  constructor(private readonly userTokens: UserTokens) {}

  principalOf(request: FastifyRequest): Promise<Extract<Principal, { kind: 'user' }> | null> {
    const token = cookieAccessToken(request.headers, request.cookies);
    return token ? this.userTokens.principalOf(token) : Promise.resolve(null);
  }
}
