/** A browser's cookie handling as far as the e2e tests need it: keeps what Set-Cookie says, by name and path. */
export interface StoredCookie {
  name: string;
  value: string;
  path: string;
  attributes: string[];
}

export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  /** Takes a response's Set-Cookie headers (Max-Age=0 or an empty value removes the cookie). */
  take(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((p) => p.trim());
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1))];
      const path = /^path=(.*)$/i.exec(attrs.find((a) => /^path=/i.test(a)) ?? '')?.[1] ?? '/';
      const expired = attrs.some((a) => /^max-age=0$/i.test(a) || /^expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(`${name} ${path}`);
      else this.cookies.set(`${name} ${path}`, { name, value, path, attributes: attrs });
    }
  }

  get(name: string): StoredCookie | undefined {
    return [...this.cookies.values()].find((c) => c.name === name);
  }

  /** The Cookie header a browser sends to `path`. */
  header(path: string): string {
    return [...this.cookies.values()]
      .filter((c) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
      .join('; ');
  }
}
