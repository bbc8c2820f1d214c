/**
 * The page's JSON client: same-origin fetch with the session cookie (the browser adds it; the page
 * never sees the token), X-CSRF-Token from the readable `mlapi_csrf` cookie on anything but GET,
 * and one refresh of the session on a 401 before giving up (then the login page).
 */
export const LOGIN_PAGE = '/dashboard/login';

export function cookieValue(cookies: string, name: string): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiOptions {
  fetch: typeof fetch;
  cookies: () => string;
  signedOut: () => void;
}

export class Api {
  private refreshing: Promise<boolean> | null = null;

  constructor(private readonly options: ApiOptions) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  private headers(method: string, body: unknown): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const csrf = cookieValue(this.options.cookies(), 'mlapi_csrf');
    if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
    return headers;
  }

  private send(method: string, path: string, body: unknown): Promise<Response> {
    return this.options.fetch(path, {
      method,
      headers: this.headers(method, body),
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res = await this.send(method, path, body);
    if (res.status === 401 && (await this.refresh())) res = await this.send(method, path, body);
    if (res.status === 401) this.options.signedOut();
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const err = (parsed ?? {}) as { code?: string; message?: string };
      throw new ApiError(res.status, err.code ?? null, err.message ?? `${method} ${path}: ${res.status}`);
    }
    return parsed as T;
  }

  /** One refresh at a time, shared by the requests that met the 401 together. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.send('POST', '/auth/browser-session/refresh', undefined)
      .then((r) => r.ok)
      .catch(() => false)
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }
}
