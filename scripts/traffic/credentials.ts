import { relative } from 'node:path';
import { TokenStore } from '../demo/token-store';
import { UsageError } from './options';

export interface TokenSources {
  /** --token */
  flag?: string;
  env: NodeJS.ProcessEnv;
  url: string;
  /** The demo's state directory (DEMO_STATE_DIR, default .demo at the repository's root). */
  stateDir: string;
}

/** Where the token came from, for the start line (never the secret itself). */
export interface ResolvedToken {
  token: string;
  from: string;
}

/**
 * The API token to send traffic with: --token, else MLAPI_TOKEN, else the one scripts/demo.sh kept
 * for this API (keyed by its URL and database, as scripts/demo.ts writes it), so that after the
 * demo the command needs no flag but --model.
 */
export function resolveToken({ flag, env, url, stateDir }: TokenSources): ResolvedToken {
  if (flag) return { token: flag, from: '--token' };
  if (env.MLAPI_TOKEN) return { token: env.MLAPI_TOKEN, from: 'MLAPI_TOKEN' };
  const store = new TokenStore(stateDir, '');
  const kept = store.forApi(url);
  // scripts/demo.sh runs on PGDATABASE (default mlapi): the same database's token when there are several.
  const database = env.PGDATABASE ?? 'mlapi';
  const chosen = kept.length === 1 ? kept[0] : kept.find(([key]) => key === `${url} ${database}`);
  if (chosen)
    return {
      token: chosen[1].token,
      from: `${relative(process.cwd(), store.file) || store.file} (API token "${chosen[1].name}")`,
    };
  if (kept.length > 1)
    throw new UsageError(
      `${store.file} keeps tokens for ${url} on several databases (${kept.map(([k]) => k.slice(url.length + 1)).join(', ')}): set PGDATABASE to the API's, or pass --token`,
    );
  throw new UsageError(
    `no API token: pass --token or set MLAPI_TOKEN (an API token with scopes predict and feedback), or run bash scripts/demo.sh, which keeps one for ${url} in ${store.file}`,
  );
}
