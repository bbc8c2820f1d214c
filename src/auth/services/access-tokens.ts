import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import type { Role } from '../entities/user.entity';
import { Lru } from '../../common/lru';

export interface AccessClaims {
  sub: string;
  email: string;
  role: Role;
  sid: string;
  /** Present (true) on tokens issued while the user had to change their password. */
  pcr?: true;
  iat: number;
  exp: number;
}

/**
 * Signs and verifies access JWTs. Keys are KeyObjects: with a plain string secret jsonwebtoken
 * first tries to parse it as a public key, which makes every verify many times slower. Verified
 * tokens are cached, the whole token as the key, until they expire, so the hot path pays for a
 * signature check once.
 */
@Injectable()
export class AccessTokens {
  private readonly signKey: KeyObject;
  private readonly verifyKey: KeyObject;
  private readonly algorithm: 'HS256' | 'RS256';
  private readonly verified = new Lru<string, AccessClaims>(10_000);

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {
    const keys = config.jwtKeys;
    this.algorithm = keys.algorithm;
    if (keys.algorithm === 'HS256') {
      this.signKey = this.verifyKey = createSecretKey(Buffer.from(keys.secret));
    } else {
      this.signKey = createPrivateKey(keys.privateKey);
      this.verifyKey = createPublicKey(keys.publicKey);
    }
  }

  get ttlSeconds(): number {
    return this.config.env.JWT_ACCESS_TTL_SECONDS;
  }

  sign(claims: Omit<AccessClaims, 'iat' | 'exp'>): string {
    return this.jwt.sign(claims, {
      algorithm: this.algorithm,
      // jsonwebtoken accepts KeyObjects; @nestjs/jwt's types only say string | Buffer.
      privateKey: this.signKey as unknown as string,
      expiresIn: this.ttlSeconds,
      issuer: this.config.env.JWT_ISSUER,
      audience: this.config.env.JWT_AUDIENCE,
    });
  }

  /** Throws on a bad signature, algorithm, issuer, audience or expiry, and on a token without `exp`. */
  verify(token: string): AccessClaims {
    const nowSec = Date.now() / 1000;
    const cached = this.verified.get(token);
    if (cached && cached.exp > nowSec) return cached;
    const claims = this.jwt.verify<AccessClaims>(token, {
      algorithms: [this.algorithm],
      publicKey: this.verifyKey as unknown as string,
      issuer: this.config.env.JWT_ISSUER,
      audience: this.config.env.JWT_AUDIENCE,
    });
    // A token without exp would be valid for ever (and survive the revocation list, which forgets after one TTL).
    if (typeof claims.exp !== 'number') throw new Error('access token has no exp claim');
    this.verified.set(token, claims);
    return claims;
  }
}
