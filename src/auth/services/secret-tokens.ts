import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Opaque secrets (refresh tokens, API tokens): 256 random bits, stored as a SHA-256 hash. A slow
 * password hash is not needed here: the secret has full entropy, so a fast hash resists brute
 * force and keeps per-request checks cheap.
 */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

const API_TOKEN = /^mlt_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

/** API tokens read `mlt_<token id>_<secret>`: the id finds the row, the secret proves possession. */
export function formatApiToken(id: string, secret: string): string {
  return `mlt_${id.replace(/-/g, '')}_${secret}`;
}

export function parseApiToken(token: string): { id: string; secret: string } | null {
  const m = API_TOKEN.exec(token);
  if (!m) return null;
  const hex = m[1];
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { id, secret: m[2] };
}
