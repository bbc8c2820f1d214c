/** The demo's JSON client over fetch: a refusal becomes an ApiError with the status and the answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class Api {
  constructor(readonly base: string) {}

  async call<T = any>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new ApiError(res.status, `${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The answer, or null when the API answers one of `statuses` (e.g. 404: not there). */
  async callUnless<T = any>(statuses: number[], method: string, path: string, token?: string): Promise<T | null> {
    try {
      return await this.call<T>(method, path, token);
    } catch (err) {
      if (err instanceof ApiError && statuses.includes(err.status)) return null;
      throw err;
    }
  }
}
