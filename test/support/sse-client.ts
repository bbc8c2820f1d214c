import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';

/** One server-sent event as a client sees it; `comment` for a comment line (a heartbeat). */
export interface SseEvent {
  event: string;
  id?: string;
  data?: any;
  /** When its blank line arrived (performance.now()), for the benchmark's delays. */
  at: number;
}

/**
 * A test's EventSource over node:http: it keeps every event in order and lets a case wait for
 * the next one that matches. Parses the WHATWG framing (`field: value` lines, a blank line ends an
 * event, `:` starts a comment) on its own: Node has no EventSource, and the test must see comments.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  private buffer = '';
  private current: Partial<SseEvent> & { dataLines?: string[] } = {};
  private waiters: (() => void)[] = [];
  ended = false;

  private constructor(
    private readonly req: ClientRequest,
    readonly res: IncomingMessage,
  ) {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => this.feed(chunk));
    res.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }

  /** Opens the stream; resolves with its status and, when 200, the client (else the JSON body). */
  static open(
    url: string,
  ): Promise<{ status: number; client?: SseClient; body?: any; headers: IncomingMessage['headers'] }> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), headers: res.headers }));
          return;
        }
        resolve({ status: 200, client: new SseClient(req, res), headers: res.headers });
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** The first event from `from` on that matches; waits for it (the test's timeout bounds the wait). */
  async next(match: (e: SseEvent) => boolean, from = 0): Promise<{ event: SseEvent; index: number }> {
    for (;;) {
      const index = this.events.findIndex((e, i) => i >= from && match(e));
      if (index >= 0) return { event: this.events[index], index };
      if (this.ended) throw new Error(`the stream ended without the event; it had ${JSON.stringify(this.events)}`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** Waits until the server ends the stream. */
  async closedByServer(): Promise<void> {
    while (!this.ended) await new Promise<void>((r) => this.waiters.push(r));
  }

  close(): void {
    this.req.destroy();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      this.line(line);
    }
    this.wake();
  }

  private line(line: string): void {
    if (line === '') {
      if (this.current.event || this.current.dataLines) {
        const data = this.current.dataLines?.join('\n');
        this.events.push({
          event: this.current.event ?? 'message',
          id: this.current.id,
          data: data && JSON.parse(data),
          at: performance.now(),
        });
      }
      this.current = {};
      return;
    }
    if (line.startsWith(':')) {
      this.events.push({ event: 'comment', data: line.slice(1).trim(), at: performance.now() });
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.current.event = value;
    else if (field === 'id') this.current.id = value;
    else if (field === 'data') (this.current.dataLines ??= []).push(value);
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
