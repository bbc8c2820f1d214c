import { randomBytes } from 'node:crypto';
import { SealedSecretError, SecretBox } from './sealed-secrets';

const key = () => randomBytes(32).toString('base64');
const CONTEXT = 'monitoring.alert_webhooks.secret';

describe('SecretBox (AES-256-GCM sealing of secrets read back)', () => {
  it('seals into v1.<key id>.<iv>.<tag>.<ciphertext> without the plain text, and opens it again', () => {
    const box = SecretBox.fromEnv({ ALERT_WEBHOOK_SECRET_KEY: key() });
    const sealed = box.seal('the-hmac-key-of-a-receiver', CONTEXT);
    const [format, keyId, ...parts] = sealed.split('.');
    expect({ format, keyId, parts: parts.length }).toEqual({ format: 'v1', keyId: box.currentKeyId, parts: 3 });
    expect(sealed).not.toContain('hmac-key');
    expect(box.open(sealed, CONTEXT)).toBe('the-hmac-key-of-a-receiver');
    // A fresh IV each time: the same secret never seals to the same value.
    expect(box.seal('the-hmac-key-of-a-receiver', CONTEXT)).not.toBe(sealed);
  });

  it('refuses an altered value, another context, and a key it does not hold, naming the key id', () => {
    const box = SecretBox.fromEnv({ ALERT_WEBHOOK_SECRET_KEY: key() });
    const sealed = box.seal('secret', CONTEXT);
    const last = sealed.at(-1) === 'A' ? 'B' : 'A';
    expect(() => box.open(sealed.slice(0, -1) + last, CONTEXT)).toThrow(/does not open/);
    expect(() => box.open(sealed, 'monitoring.alert_webhooks.url')).toThrow(SealedSecretError);
    expect(() => box.open('plain-text-secret', CONTEXT)).toThrow(/not a sealed secret/);
    const other = SecretBox.fromEnv({ ALERT_WEBHOOK_SECRET_KEY: key() });
    expect(() => other.open(sealed, CONTEXT)).toThrow(
      expect.objectContaining({ keyId: box.currentKeyId, message: expect.stringContaining(box.currentKeyId) }),
    );
  });

  it('opens values of ALERT_WEBHOOK_SECRET_KEYS_OLD and marks them stale; seals under the current key', () => {
    const [k1, k2] = [key(), key()];
    const before = SecretBox.fromEnv({ ALERT_WEBHOOK_SECRET_KEY: k1 });
    const sealed = before.seal('secret', CONTEXT);
    const rotated = SecretBox.fromEnv({ ALERT_WEBHOOK_SECRET_KEY: k2, ALERT_WEBHOOK_SECRET_KEYS_OLD: ` ${k1} ` });
    expect(rotated.currentKeyId).not.toBe(before.currentKeyId);
    expect(rotated.open(sealed, CONTEXT)).toBe('secret');
    expect(rotated.isStale(sealed)).toBe(true);
    const again = rotated.seal('secret', CONTEXT);
    expect(rotated.isStale(again)).toBe(false);
    expect(() => before.open(again, CONTEXT)).toThrow(SealedSecretError);
  });

  it('without ALERT_WEBHOOK_SECRET_KEY derives the key from the JWT secret (HKDF), the same on every replica', () => {
    const jwt = 'a-jwt-secret-that-is-long-enough-0123456789';
    const a = SecretBox.fromEnv({ JWT_SECRET: jwt });
    const b = SecretBox.fromEnv({ JWT_SECRET: jwt });
    expect(a.source).toBe('derived from the JWT secret');
    expect(b.open(a.seal('secret', CONTEXT), CONTEXT)).toBe('secret');
    // Another JWT secret is another key; the JWT secret itself is not the key.
    expect(() => SecretBox.fromEnv({ JWT_SECRET: `${jwt}x` }).open(a.seal('s', CONTEXT), CONTEXT)).toThrow(
      SealedSecretError,
    );
    const raw = SecretBox.fromEnv({ ALERT_WEBHOOK_SECRET_KEY: Buffer.from(jwt.slice(0, 32)).toString('base64') });
    expect(raw.currentKeyId).not.toBe(a.currentKeyId);
  });
});
