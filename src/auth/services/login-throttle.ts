import { Injectable } from '@nestjs/common';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../../config/app-config';
import { RedisService } from '../../redis/redis.service';
import { AuthError, AuthErrorCode } from '../auth.errors';

/**
 * Login throttling in Redis, so every replica counts together. A lockout per account alone lets
 * anyone lock anyone out (OWASP Authentication Cheat Sheet, "Account Lockout"), so:
 * - attempts per address (LOGIN_MAX_PER_IP), whatever the account;
 * - failures per account and address: that address is locked out of that account for the window,
 *   while the owner, elsewhere, still gets in (a correct password from the address resets it);
 * - failures per account from all addresses, against guessing spread over many addresses: past
 *   LOGIN_ACCOUNT_BACKOFF_AFTER each failure makes the account wait 1 s, 2 s, 4 s… (up to a cap)
 *   before its next attempt: a slow-down that costs the owner seconds, not a lockout.
 */
@Injectable()
export class LoginThrottle {
  private readonly perIp: RateLimiterRedis;
  private readonly perAddress: RateLimiterRedis;
  private readonly perAccount: RateLimiterRedis;
  /** Holds an account during its backoff (blocked keys only; `block` sets each wait). */
  private readonly accountWait: RateLimiterRedis;
  private readonly backoffAfter: number;
  private readonly backoffMaxSeconds: number;

  constructor(config: AppConfig, redis: RedisService) {
    const { env } = config;
    const common = { storeClient: redis.client, useRedisPackage: false, duration: env.LOGIN_WINDOW_SECONDS };
    this.perIp = new RateLimiterRedis({ ...common, keyPrefix: redis.key('login-ip'), points: env.LOGIN_MAX_PER_IP });
    this.perAddress = new RateLimiterRedis({
      ...common,
      keyPrefix: redis.key('login-address'),
      points: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
    });
    // Counted with penalty() only; its points never refuse by themselves.
    this.perAccount = new RateLimiterRedis({ ...common, keyPrefix: redis.key('login-account'), points: 1 });
    this.accountWait = new RateLimiterRedis({ ...common, keyPrefix: redis.key('login-account-wait'), points: 1 });
    this.backoffAfter = env.LOGIN_ACCOUNT_BACKOFF_AFTER;
    this.backoffMaxSeconds = env.LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS;
  }

  /**
   * One throttled password check, a login's or a password change's: refused (429) while the address,
   * the pair or the account must wait; a null answer of `attempt` counts as a failure, any other as a success.
   */
  async check<T>(ip: string, email: string, attempt: () => Promise<T | null>): Promise<T | null> {
    await this.beforeAttempt(ip, email);
    const outcome = await attempt();
    await (outcome === null ? this.failed(ip, email) : this.succeeded(ip, email));
    return outcome;
  }

  /** Counts one attempt from this address; refuses when the address, the pair or the account must wait. */
  private async beforeAttempt(ip: string, email: string): Promise<void> {
    try {
      await this.perIp.consume(ip);
    } catch (res) {
      // The limiter rejects with its result when over the limit, with the error when Redis fails.
      throw res instanceof RateLimiterRes ? tooMany(res) : res;
    }
    const account = normalized(email);
    const [pair, wait] = await Promise.all([this.perAddress.get(pairKey(ip, account)), this.accountWait.get(account)]);
    if (pair && pair.consumedPoints >= this.perAddress.points) throw tooMany(pair);
    if (wait && wait.consumedPoints > this.accountWait.points) throw tooMany(wait);
  }

  private async failed(ip: string, email: string): Promise<void> {
    const account = normalized(email);
    const [, total] = await Promise.all([
      this.perAddress.penalty(pairKey(ip, account), 1),
      this.perAccount.penalty(account, 1),
    ]);
    const over = total.consumedPoints - this.backoffAfter;
    if (over > 0) await this.accountWait.block(account, Math.min(this.backoffMaxSeconds, 2 ** Math.min(over - 1, 30)));
  }

  /**
   * Resets this address's failures for the account. The account-wide count stays: a login by the
   * owner must not give guesses spread over many addresses a fresh budget.
   */
  private async succeeded(ip: string, email: string): Promise<void> {
    await this.perAddress.delete(pairKey(ip, normalized(email)));
  }
}

const normalized = (email: string) => email.toLowerCase();
/** An address never contains `|`, so the first one separates the two parts. */
const pairKey = (ip: string, account: string) => `${ip}|${account}`;

function tooMany(res: RateLimiterRes): AuthError {
  const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AuthError(AuthErrorCode.TOO_MANY_LOGIN_ATTEMPTS, `Too many login attempts; retry in ${retryAfter} s`, [], {
    'retry-after': String(retryAfter),
  });
}
