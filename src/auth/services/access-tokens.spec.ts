import { JwtService } from '@nestjs/jwt';
import { loadConfig } from '../../config/app-config';
import { AccessTokens } from './access-tokens';

const CLAIMS = { sub: 'u1', email: 'a@example.com', role: 'consumer' as const, sid: 's1' };

/** AccessTokens over a real JwtService (no I/O), with its verify calls counted. */
function setup(env: Record<string, string> = {}) {
  const jwt = new JwtService();
  const verify = jest.spyOn(jwt, 'verify');
  return { tokens: new AccessTokens(jwt, loadConfig(env)), verify };
}

/** `token` with its payload replaced and its header and signature kept. */
function withPayload(token: string, payload: object): string {
  const [header, , signature] = token.split('.');
  return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
}

describe('AccessTokens', () => {
  afterEach(() => jest.useRealTimers());

  it('checks a token once, then answers it from the cache', () => {
    const { tokens, verify } = setup();
    const token = tokens.sign(CLAIMS);
    const first = tokens.verify(token);
    expect(first).toMatchObject(CLAIMS);
    expect(tokens.verify(token)).toEqual(first);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('checks anew a token that differs from a cached one only before its signature, and refuses it', () => {
    const { tokens, verify } = setup();
    const token = tokens.sign(CLAIMS);
    const claims = tokens.verify(token);
    const tampered = withPayload(token, { ...claims, role: 'admin' });
    expect(tampered.slice(-32)).toBe(token.slice(-32));
    expect(() => tokens.verify(tampered)).toThrow('invalid signature');
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('checks a cached token anew once it has expired, and refuses it', () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 11, 3, 12) });
    const { tokens, verify } = setup({ JWT_ACCESS_TTL_SECONDS: '60' });
    const token = tokens.sign(CLAIMS);
    tokens.verify(token);
    jest.setSystemTime(Date.UTC(2026, 11, 3, 12, 1, 1));
    expect(() => tokens.verify(token)).toThrow('jwt expired');
    expect(verify).toHaveBeenCalledTimes(2);
  });
});
