import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The browser session's cookies (README, "Authentication", browser session). */
export const SESSION_COOKIE = 'mlapi_session';
export const REFRESH_COOKIE = 'mlapi_refresh';
export const CSRF_COOKIE = 'mlapi_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** The refresh cookie goes only to the browser-session endpoints, never to the API's other routes. */
export const REFRESH_PATH = '/auth/browser-session';

/** Methods that change nothing: a cookie-authenticated request with any other needs the CSRF header. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface IssuedCookies {
  accessToken: string;
  accessTtlSeconds: number;
  refreshToken: string;
  refreshTtlSeconds: number;
  csrfToken: string;
}

type Headers = FastifyRequest['headers'];
type Cookies = Record<string, string | undefined> | undefined;

/**
 * The access JWT a request carries in its session cookie, when it has no Authorization header (a
 * header always wins). API tokens are never taken from a cookie: they are for machines.
 */
export function cookieAccessToken(headers: Headers, cookies: Cookies): string | null {
  if (headers.authorization !== undefined) return null;
  const token = cookies?.[SESSION_COOKIE];
  return typeof token === 'string' && token.length > 0 && !token.startsWith('mlt_') ? token : null;
}

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/** The CSRF header as one string, or null (absent or repeated). */
export function csrfHeader(headers: Headers): string | null {
  const value = headers[CSRF_HEADER];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** `Secure` when the request came over HTTPS (as trustProxy reads it) or a setting forces it. */
function base(request: FastifyRequest, forceSecure: boolean): CookieSerializeOptions {
  return { sameSite: 'strict', secure: forceSecure || request.protocol === 'https' };
}

export function setSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  issued: IssuedCookies,
  forceSecure: boolean,
): void {
  const options = base(request, forceSecure);
  void reply
    .setCookie(SESSION_COOKIE, issued.accessToken, {
      ...options,
      httpOnly: true,
      path: '/',
      maxAge: issued.accessTtlSeconds,
    })
    .setCookie(REFRESH_COOKIE, issued.refreshToken, {
      ...options,
      httpOnly: true,
      path: REFRESH_PATH,
      maxAge: issued.refreshTtlSeconds,
    })
    // Readable by the page's script, which echoes it in X-CSRF-Token; as long-lived as the refresh.
    .setCookie(CSRF_COOKIE, issued.csrfToken, {
      ...options,
      httpOnly: false,
      path: '/',
      maxAge: issued.refreshTtlSeconds,
    });
}

export function clearSessionCookies(request: FastifyRequest, reply: FastifyReply, forceSecure: boolean): void {
  const options = base(request, forceSecure);
  void reply
    .clearCookie(SESSION_COOKIE, { ...options, httpOnly: true, path: '/' })
    .clearCookie(REFRESH_COOKIE, { ...options, httpOnly: true, path: REFRESH_PATH })
    .clearCookie(CSRF_COOKIE, { ...options, path: '/' });
}
