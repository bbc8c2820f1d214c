import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may not go (server-side request forgery): link-local (169.254.0.0/16 holds the
 * clouds' metadata services, 169.254.169.254 above all), fe80::/10, the unspecified addresses and
 * the other known metadata endpoints, always; loopback and private networks unless allowed
 * (ALERT_WEBHOOK_ALLOW_PRIVATE, on outside production so a receiver on the same host or network works).
 */
const ALWAYS = new BlockList();
ALWAYS.addSubnet('169.254.0.0', 16, 'ipv4');
ALWAYS.addSubnet('0.0.0.0', 8, 'ipv4');
ALWAYS.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud's metadata service
ALWAYS.addSubnet('fe80::', 10, 'ipv6');
ALWAYS.addAddress('::', 'ipv6');
ALWAYS.addAddress('fd00:ec2::254', 'ipv6'); // AWS's IPv6 metadata service

const PRIVATE = new BlockList();
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT, also cloud-internal
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

/** Why an address may not receive a webhook, or null when it may. */
export function refusedAddress(address: string, allowPrivate: boolean): string | null {
  // An IPv4 address mapped into IPv6 (::ffff:169.254.169.254) is judged as the IPv4 one.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (ALWAYS.check(ip, family)) return `${address} is a link-local, unspecified or cloud metadata address`;
  if (!allowPrivate && PRIVATE.check(ip, family))
    return `${address} is a loopback or private address (ALERT_WEBHOOK_ALLOW_PRIVATE is off)`;
  return null;
}

/** Why a URL may not be a webhook target before any lookup (scheme, credentials, a literal address), or null. */
export function refusedUrl(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be http or https';
  if (url.username || url.password) return 'must not hold credentials (the receiver checks the signature instead)';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return refusedAddress(host, allowPrivate);
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost')))
    return `${host} is loopback (ALERT_WEBHOOK_ALLOW_PRIVATE is off)`;
  return null;
}

/** ALERT_WEBHOOK_ALLOW_PRIVATE, whose default is on outside production. */
export function privateAllowed(env: { ALERT_WEBHOOK_ALLOW_PRIVATE?: boolean; NODE_ENV: string }): boolean {
  return env.ALERT_WEBHOOK_ALLOW_PRIVATE ?? env.NODE_ENV !== 'production';
}

/**
 * A webhook URL as answered and logged: scheme and host only. Slack's and Teams' URLs are their
 * credential (a token in the path, a `sig` in the query), so the rest is sealed with the secret.
 */
export function shownUrl(raw: string): string {
  const url = new URL(raw);
  const more = url.pathname !== '/' || url.search || url.hash;
  return `${url.protocol}//${url.host}/${more ? '…' : ''}`;
}
