import { AppConfig } from '../../config/app-config';
import { CsrfTokens } from './csrf-tokens';
import { cookieAccessToken, isSafeMethod } from './session-cookies';

const config = (secret: string) => ({ jwtKeys: { algorithm: 'HS256', secret } }) as unknown as AppConfig;

describe('CsrfTokens', () => {
  const csrf = new CsrfTokens(config('a-secret-that-is-long-enough-for-hs256-000000'));

  it('accepts the token of the session when the header equals the cookie', () => {
    const token = csrf.issue('session-1');
    expect(csrf.verify('session-1', token, token)).toBe(true);
    expect(csrf.verify(null, token, token)).toBe(true);
  });

  it('refuses a missing or different header, another session, or another key', () => {
    const token = csrf.issue('session-1');
    expect(csrf.verify('session-1', null, token)).toBe(false);
    expect(csrf.verify('session-1', token, undefined)).toBe(false);
    expect(csrf.verify('session-1', `${token}x`, token)).toBe(false);
    expect(csrf.verify('session-2', token, token)).toBe(false);
    const other = new CsrfTokens(config('another-secret-that-is-long-enough-for-hs256-0'));
    expect(other.verify('session-1', token, token)).toBe(false);
    // A planted pair that matches but was never signed.
    expect(csrf.verify('session-1', 'abc.def', 'abc.def')).toBe(false);
    expect(csrf.verify('session-1', `${token}.x`, `${token}.x`)).toBe(false);
  });
});

describe('cookieAccessToken', () => {
  it('takes the session cookie only without an Authorization header, and never an API token', () => {
    expect(cookieAccessToken({}, { mlapi_session: 'jwt' })).toBe('jwt');
    expect(cookieAccessToken({ authorization: 'Bearer x' }, { mlapi_session: 'jwt' })).toBeNull();
    expect(cookieAccessToken({}, { mlapi_session: 'mlt_abc' })).toBeNull();
    expect(cookieAccessToken({}, {})).toBeNull();
    expect(cookieAccessToken({}, undefined)).toBeNull();
  });

  it('knows the safe methods', () => {
    expect(['GET', 'head', 'OPTIONS'].map(isSafeMethod)).toEqual([true, true, true]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].map(isSafeMethod)).toEqual([false, false, false, false]);
  });
});
