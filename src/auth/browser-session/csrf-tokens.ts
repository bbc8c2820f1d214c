import { Injectable } from '@nestjs/common';
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../config/app-config';

/**
 * Signed double-submit CSRF tokens (OWASP): `<random>.<HMAC(session id, random)>`. The page sends
 * the readable cookie back in X-CSRF-Token, which another site cannot read nor set; the signature
 * binds the token to the session, so a cookie planted by a sibling subdomain does not pass either.
 * The key is derived from the JWT signing key, which every replica has.
 */
@Injectable()
export class CsrfTokens {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    const keys = config.jwtKeys;
    const material = keys.algorithm === 'HS256' ? keys.secret : keys.privateKey;
    this.key = Buffer.from(hkdfSync('sha256', material, '', 'mlapi browser-session csrf', 32));
  }

  issue(sessionId: string): string {
    const nonce = randomBytes(18).toString('base64url');
    return `${nonce}.${this.sign(sessionId, nonce)}`;
  }

  /** The header equals the cookie, and the token was issued for this session. */
  verify(sessionId: string | null, header: string | null, cookie: string | undefined): boolean {
    if (!header || !cookie || !same(header, cookie)) return false;
    if (sessionId === null) return true;
    const [nonce, mac, extra] = header.split('.');
    return extra === undefined && !!nonce && !!mac && same(mac, this.sign(sessionId, nonce));
  }

  private sign(sessionId: string, nonce: string): string {
    return createHmac('sha256', this.key).update(`${sessionId}.${nonce}`).digest('base64url');
  }
}

function same(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}
