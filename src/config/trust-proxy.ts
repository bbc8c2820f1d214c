import { isIP } from 'node:net';

/** What Fastify's `trustProxy` gets: no proxy, a hop count, or the proxies' addresses and CIDRs. */
export type TrustProxy = false | number | string[];

/** proxy-addr's (Fastify's) names for address ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Parses TRUST_PROXY: `none`, a hop count, or a comma-separated list of addresses, CIDRs and
 * proxy-addr's range names; null when it is none of these. `true` (trust every hop) is not offered:
 * then any client could choose its own address by sending X-Forwarded-For.
 */
export function parseTrustProxy(value: string): TrustProxy | null {
  const text = value.trim().toLowerCase();
  if (text === 'none' || text === '0') return false;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops <= 100 ? hops : null;
  }
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0 || !entries.every(isAddressOrRange)) return null;
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * The value for Fastify's option. Fastify 5.12 refuses a numeric hop count (it trusts nothing then),
 * since a client that reaches the app directly could supply the trusted hops itself; a hop count is
 * therefore passed as a function, and is for deployments reachable only through their proxies.
 */
export function fastifyTrustProxy(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}
