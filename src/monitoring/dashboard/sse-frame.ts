/**
 * Server-sent events framing (the WHATWG HTML standard, "Server-sent events"): `event:`, `id:` and
 * one `data:` line of JSON, ended by a blank line. JSON.stringify escapes every line break inside
 * strings, so the data is always one line; the event name and id are the stream's own (no newline).
 */
export function sseFrame(event: string, id: string, data: unknown): string {
  if (/[\r\n]/.test(event) || /[\r\n]/.test(id)) throw new Error('an SSE event name or id holds a line break');
  return `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment line: ignored by EventSource, it keeps proxies and the client from timing the stream out. */
export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}
