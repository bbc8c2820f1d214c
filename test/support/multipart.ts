import { request as httpRequest, type ClientRequest } from 'node:http';

/** Hand-written multipart bodies, for uploads that a form library would refuse to build. */
export const BOUNDARY = 'XBOUNDARYX';
export const field = (name: string, value: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
export const filePart = (name: string, content: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="f.csv"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n`;
/** The head of a `file` part: what follows is its content, until a boundary (or none). */
export const fileHead = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="f.csv"\r\n\r\n`;
export const closing = `--${BOUNDARY}--\r\n`;

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/**
 * POSTs `chunks` as a multipart body over node:http and, unless `finish` is false, ends the
 * request (chunked, or `contentLength` as declared). `answer` is the response, or null if none
 * came within 5 s (an upload the app never answers fails its test there, not at the suite's timeout).
 */
export function rawUpload(
  url: string,
  token: string,
  chunks: string[],
  { finish = true, contentLength }: { finish?: boolean; contentLength?: number } = {},
): { req: ClientRequest; answer: Promise<RawAnswer | null> } {
  let req!: ClientRequest;
  const answer = new Promise<RawAnswer | null>((resolve) => {
    req = httpRequest(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        ...(contentLength ? { 'content-length': String(contentLength) } : {}),
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) }));
    });
    req.on('error', () => resolve(null));
    setTimeout(() => {
      req.destroy();
      resolve(null);
    }, 5000).unref();
  });
  for (const c of chunks) req.write(c);
  if (finish) req.end();
  return { req, answer };
}

/** Polls `check` every 20 ms until it holds, or fails naming `what`. */
export async function until(what: string, check: () => Promise<boolean>, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
