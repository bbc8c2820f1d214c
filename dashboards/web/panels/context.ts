import type { Api } from '../lib/api';
import type { Span } from '../lib/time-range';

/** What every panel's load gets: the client, the model and the span chosen. */
export interface PanelContext {
  api: Api;
  model: string;
  span: Span;
}

export const enc = encodeURIComponent;
