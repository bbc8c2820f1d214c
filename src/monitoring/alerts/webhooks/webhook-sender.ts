import { lookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { refusedAddress, refusedUrl } from './webhook-address';

/** How much of a receiver's answer is read, for the log only: its status is all that counts. */
export const ANSWER_BYTES = 512;

export interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

export class WebhookRefused extends Error {}

/**
 * A lookup that refuses forbidden addresses: the connection goes to the very address that was
 * checked, so a name that resolves differently at connect time (DNS rebinding) changes nothing.
 */
function checkedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true } as LookupAllOptions, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.map((a) => refusedAddress(a.address, allowPrivate)).find(Boolean);
      if (refused) return callback(new WebhookRefused(`${hostname}: ${refused}`), '', 0);
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * POSTs one delivery; resolves with the status and the answer's first bytes, whatever the status.
 * Rejects on a refused URL or address, a connection error or the timeout. Redirects are not
 * followed (a 3xx is the receiver's answer, not a success).
 */
export function send(d: Delivery): Promise<{ status: number; answer: string }> {
  const refused = refusedUrl(d.url, d.allowPrivate);
  if (refused) return Promise.reject(new WebhookRefused(`webhook URL ${refused}`));
  const url = new URL(d.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(d.body), ...d.headers },
        lookup: checkedLookup(d.allowPrivate),
        signal: AbortSignal.timeout(d.timeoutMs),
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < ANSWER_BYTES) chunks.push(chunk.subarray(0, ANSWER_BYTES - size));
          size += chunk.length;
          if (size >= ANSWER_BYTES) res.destroy();
        });
        const done = () => resolve({ status: res.statusCode ?? 0, answer: Buffer.concat(chunks).toString('utf8') });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    req.on('error', (err) => reject(err.name === 'AbortError' ? new Error(`no answer within ${d.timeoutMs} ms`) : err));
    req.end(d.body);
  });
}
