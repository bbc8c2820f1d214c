import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredToken {
  id: string;
  name: string;
  token: string;
}

/**
 * The demo's API token secrets, kept on this machine because the API stores only their hashes:
 * one JSON file (mode 600, in a directory of mode 700, git-ignored), one token per API and database.
 */
export class TokenStore {
  readonly file: string;

  constructor(
    private readonly dir: string,
    private readonly key: string,
  ) {
    this.file = join(dir, 'api-tokens.json');
  }

  read(): StoredToken | null {
    return this.all()[this.key] ?? null;
  }

  /** Every kept token of the API at `base`, by key (one per database the demo ran on). */
  forApi(base: string): [key: string, token: StoredToken][] {
    return Object.entries(this.all()).filter(([key]) => key.startsWith(`${base} `));
  }

  write(token: StoredToken): void {
    const all = { ...this.all(), [this.key]: token };
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // A new file each time (mode applies on creation), renamed over the old one: never half-written.
    const partial = `${this.file}.${process.pid}.partial`;
    writeFileSync(partial, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    renameSync(partial, this.file);
  }

  private all(): Record<string, StoredToken> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return {};
    }
    try {
      return JSON.parse(text) as Record<string, StoredToken>;
    } catch {
      // Unreadable (edited by hand?): the tokens are minted again and the file rewritten.
      return {};
    }
  }
}
