import { isRangeKey, type RangeKey } from './time-range';

/** What the page shows, kept in the URL's fragment (a reload or a shared link opens the same view). */
export interface PageState {
  model: string | null;
  range: RangeKey;
}

export const DEFAULT_RANGE: RangeKey = '1h';

export function parseState(hash: string): PageState {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const range = q.get('range') ?? '';
  return { model: q.get('model') || null, range: isRangeKey(range) ? range : DEFAULT_RANGE };
}

export function formatState(state: PageState): string {
  const q = new URLSearchParams();
  if (state.model) q.set('model', state.model);
  q.set('range', state.range);
  return `#${q.toString()}`;
}

/** The model to show: the asked one when it is among the models, else the first. */
export function chooseModel(asked: string | null, models: string[]): string | null {
  return asked && models.includes(asked) ? asked : (models[0] ?? null);
}

/** Which panels a live event makes stale (contract §3); `traffic` is appended instead, `reset` refetches all. */
export type PanelName = 'traffic' | 'drift' | 'quality' | 'performance' | 'training' | 'aliases' | 'alerts' | 'models';

export function panelsFor(event: string, data: unknown, model: string | null): PanelName[] | 'all' {
  const about = (data as { model?: unknown; modelName?: unknown } | null) ?? {};
  const name =
    typeof about.model === 'string' ? about.model : typeof about.modelName === 'string' ? about.modelName : null;
  const mine = name === null || name === model;
  switch (event) {
    case 'reset':
      return 'all';
    case 'alert':
      return mine ? ['alerts'] : [];
    case 'window':
      // Realised quality changes only the quality panel; a drift window brings drift, data quality and estimates.
      if (!mine) return [];
      return (data as { kind?: unknown } | null)?.kind === 'realised'
        ? ['performance']
        : ['drift', 'quality', 'performance'];
    case 'training':
      return ['training'];
    case 'alias':
      return mine ? ['aliases', 'models', 'performance'] : ['models'];
    default:
      return [];
  }
}
