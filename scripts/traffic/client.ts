/** An answer of the API: its status and its parsed JSON body (null when not JSON). */
export interface Answer {
  status: number;
  body: any;
}

/** A request that got no answer: `network` (refused, reset) or `timeout`. */
export class NoAnswer extends Error {
  constructor(
    readonly kind: 'network' | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

/** The API's error body in one line: `404 registry.model_not_found: No model named …`. */
export function describeAnswer(answer: Answer): string {
  const b = answer.body;
  if (b && typeof b === 'object' && typeof b.message === 'string')
    return `${answer.status}${b.code ? ` ${b.code}` : ''}: ${b.message}`;
  return `${answer.status}`;
}

/** JSON over fetch with the API token; every request bounded by `timeoutMs`. */
export class TrafficClient {
  constructor(
    readonly base: string,
    private readonly token: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError')
        throw new NoAnswer('timeout', `${method} ${path}: no answer in ${this.timeoutMs} ms`);
      throw new NoAnswer('network', `${method} ${this.base}${path}: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
    }
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (a proxy's error page): the status says enough.
    }
    return { status: res.status, body: parsed };
  }
}
