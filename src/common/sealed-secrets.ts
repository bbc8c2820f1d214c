import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEV_JWT_SECRET } from '../config/env.schema';

/** The settings a SecretBox is made from (a slice of the validated environment). */
export interface SealingEnv {
  ALERT_WEBHOOK_SECRET_KEY?: string;
  ALERT_WEBHOOK_SECRET_KEYS_OLD?: string;
  JWT_SECRET?: string;
  JWT_PRIVATE_KEY_FILE?: string;
}

const FORMAT = 'v1';
const IV_BYTES = 12; // GCM's own nonce size
const HKDF_INFO = 'mlapi alert webhook secrets v1';

/** A stored secret that cannot be opened: its key is not configured, or the value was altered. */
export class SealedSecretError extends Error {
  constructor(
    message: string,
    readonly keyId: string | null,
  ) {
    super(message);
    this.name = 'SealedSecretError';
  }
}

interface Key {
  id: string;
  key: Buffer;
}

/** A key's id: the first 8 bytes of a hash of it, so the stored value names its key without revealing it. */
const keyOf = (key: Buffer): Key => ({
  id: createHash('sha256').update('mlapi key id\0').update(key).digest('hex').slice(0, 16),
  key,
});

/** A base64 key of exactly 32 bytes (the env schema checked the shape). */
const decodeKey = (b64: string): Buffer => Buffer.from(b64.trim(), 'base64');

/**
 * Secrets the server must read back (an HMAC key signs each webhook delivery; a receiver's URL can be
 * its credential) sealed at rest with AES-256-GCM: `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url).
 * The key is ALERT_WEBHOOK_SECRET_KEY; unset, it is derived with HKDF-SHA256 from the JWT signing
 * secret (JWT_SECRET, its development default, or the RS256 private key), so a deployment works
 * without a new setting, at the price that a new JWT secret makes the stored secrets unreadable
 * (docs/architecture.md, "Alerts"). ALERT_WEBHOOK_SECRET_KEYS_OLD opens values sealed under earlier
 * keys; they are sealed again under the current key at boot. The `context` is bound in as
 * associated data, so a sealed URL cannot stand in for a sealed secret.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;

  constructor(
    private readonly current: Key,
    old: Key[] = [],
    /** Where the current key comes from, for the log. */
    readonly source: 'ALERT_WEBHOOK_SECRET_KEY' | 'derived from the JWT secret' = 'ALERT_WEBHOOK_SECRET_KEY',
  ) {
    this.keys = new Map([...old, current].map((k) => [k.id, k.key]));
  }

  static fromEnv(env: SealingEnv): SecretBox {
    const old = (env.ALERT_WEBHOOK_SECRET_KEYS_OLD ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((b64) => keyOf(decodeKey(b64)));
    if (env.ALERT_WEBHOOK_SECRET_KEY) return new SecretBox(keyOf(decodeKey(env.ALERT_WEBHOOK_SECRET_KEY)), old);
    const root = env.JWT_PRIVATE_KEY_FILE
      ? readFileSync(env.JWT_PRIVATE_KEY_FILE)
      : Buffer.from(env.JWT_SECRET || DEV_JWT_SECRET);
    const derived = Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), HKDF_INFO, 32));
    return new SecretBox(keyOf(derived), old, 'derived from the JWT secret');
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(context));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
    return [FORMAT, this.current.id, ...parts].join('.');
  }

  open(sealed: string, context: string): string {
    const [format, keyId, iv, tag, ciphertext, ...rest] = sealed.split('.');
    if (format !== FORMAT || ciphertext === undefined || rest.length)
      throw new SealedSecretError('not a sealed secret (format v1 expected)', null);
    const key = this.keys.get(keyId);
    if (!key)
      throw new SealedSecretError(
        `sealed under key ${keyId}, which is neither ALERT_WEBHOOK_SECRET_KEY (${this.current.id}) nor one of ALERT_WEBHOOK_SECRET_KEYS_OLD`,
        keyId,
      );
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SealedSecretError(`sealed under key ${keyId} but does not open: altered or truncated`, keyId);
    }
  }

  /** The value was sealed under another key than the current one (to be sealed again). */
  isStale(sealed: string): boolean {
    return sealed.split('.')[1] !== this.current.id;
  }
}
