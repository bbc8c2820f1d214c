import { Injectable } from '@nestjs/common';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../../config/app-config';
import { RedisService } from '../../redis/redis.service';
import { AuthError, AuthErrorCode } from '../auth.errors';

/**
 * Login throttling in Redis, so every replica counts together: attempts per IP, and failures
 * per account (a correct password resets the account's count).
 */
@Injectable()
export class LoginThrottle {
  private readonly perIp: RateLimiterRedis;
  private readonly perAccount: RateLimiterRedis;

  constructor(config: AppConfig, redis: RedisService) {
    const window = config.env.LOGIN_WINDOW_SECONDS;
    const common = { storeClient: redis.client, useRedisPackage: false, duration: window };
    this.perIp = new RateLimiterRedis({
      ...common,
      keyPrefix: redis.key('login-ip'),
      points: config.env.LOGIN_MAX_PER_IP,
    });
    this.perAccount = new RateLimiterRedis({
      ...common,
      keyPrefix: redis.key('login-account'),
      points: config.env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    });
  }

  /** Counts one attempt from this IP and refuses when the IP or the account is over its limit. */
  async beforeAttempt(ip: string, email: string): Promise<void> {
    try {
      await this.perIp.consume(ip);
    } catch (res) {
      // The limiter rejects with its result when over the limit, with the error when Redis fails.
      throw res instanceof RateLimiterRes ? tooMany(res) : res;
    }
    const account = await this.perAccount.get(email.toLowerCase());
    if (account && account.consumedPoints >= this.perAccount.points) throw tooMany(account);
  }

  async failed(email: string): Promise<void> {
    await this.perAccount.penalty(email.toLowerCase(), 1);
  }

  async succeeded(email: string): Promise<void> {
    await this.perAccount.delete(email.toLowerCase());
  }
}

function tooMany(res: RateLimiterRes): AuthError {
  const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AuthError(AuthErrorCode.TOO_MANY_LOGIN_ATTEMPTS, `Too many login attempts; retry in ${retryAfter} s`, [], {
    'retry-after': String(retryAfter),
  });
}
