/** Planning of the scheduled window job: which window, and which versions are in service. Pure. */

const MINUTE = 60_000;

export interface Window {
  from: Date;
  to: Date;
}

/**
 * The window the job computes at `now`: `windowMs` long, ending at the start of the newest minute
 * whose buckets every replica has flushed (a minute is written within one flush interval after it
 * ends: `graceMs`), so a window never reads a minute half-written.
 */
export function scheduledWindow(now: Date, windowMs: number, graceMs: number): Window {
  const to = Math.floor((now.getTime() - graceMs) / MINUTE) * MINUTE;
  return { from: new Date(to - windowMs), to: new Date(to) };
}

/**
 * Windows of `windowMs`, aligned on multiples of it since the epoch (UTC), that ended by `now`,
 * newest first, covering `lookbackMs` (at least one): the windows realised quality is computed on,
 * and the window job's aligned windows, so estimated and realised figures share their windows.
 */
export function recentWindows(now: number, windowMs: number, lookbackMs: number): Window[] {
  const lastEnd = Math.floor(now / windowMs) * windowMs;
  const count = Math.max(1, Math.ceil(lookbackMs / windowMs));
  return Array.from({ length: count }, (_, i) => ({
    from: new Date(lastEnd - (i + 1) * windowMs),
    to: new Date(lastEnd - i * windowMs),
  }));
}

export interface ServedVersion {
  model: string;
  version: number;
  /** The aliases naming it, sorted (production, canary, shadow, challenger…). */
  aliases: string[];
}

/** Every version an alias names, once per version with all its aliases, by model then version. */
export function servedVersions(
  models: ReadonlyArray<{ name: string; aliases: Record<string, number> }>,
): ServedVersion[] {
  const out = new Map<string, ServedVersion>();
  for (const m of models)
    for (const [alias, version] of Object.entries(m.aliases)) {
      const key = `${m.name}@${version}`;
      const entry = out.get(key) ?? { model: m.name, version, aliases: [] };
      entry.aliases.push(alias);
      out.set(key, entry);
    }
  return [...out.values()]
    .map((v) => ({ ...v, aliases: v.aliases.sort() }))
    .sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : a.version - b.version));
}
