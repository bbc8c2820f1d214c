import { clear, empty, h, table } from '../dom';
import { fmt, when } from '../lib/format';
import { enc, type PanelContext } from './context';

interface Job {
  id: string;
  state: string;
  model: string | null;
  modelVersion: number | null;
  progress: { epoch: number; maxEpochs: number; loss: number; valLoss: number } | null;
  createdAt: string;
  error: string | null;
}

/** Training jobs, newest first, with their progress (epochs done of the most). */
export class TrainingPanel {
  constructor(readonly el: HTMLElement) {}

  async load(ctx: PanelContext): Promise<void> {
    const page = await ctx.api.get<{ items: Job[]; total: number }>('/training-jobs?limit=10');
    if (page.items.length === 0) {
      clear(this.el, empty('No training jobs yet: start one with', 'POST /training-jobs {"dataset": "credit"}'));
      this.el.dataset.rows = '0';
      return;
    }
    const rows = page.items.map((j) => {
      const progress = j.progress
        ? h('progress', {
            max: j.progress.maxEpochs,
            value: j.progress.epoch,
            'aria-label': `epoch ${j.progress.epoch} of ${j.progress.maxEpochs}`,
          })
        : null;
      return [
        h('code', { text: j.id.slice(0, 8), title: j.id }),
        h('span', { class: `state ${j.state}`, text: j.state }),
        j.model ? `${j.model}${j.modelVersion ? ` v${j.modelVersion}` : ''}` : '–',
        h(
          'span',
          {},
          progress,
          j.progress ? ` ${j.progress.epoch}/${j.progress.maxEpochs} loss ${fmt(j.progress.loss)}` : ' –',
        ),
        when(j.createdAt),
      ];
    });
    clear(
      this.el,
      table(
        ['job', 'state', 'model', 'progress', 'created'],
        rows,
        `${page.total} jobs (newest 10; ${ctx.model} and the others)`,
      ),
    );
    this.el.dataset.rows = String(rows.length);
  }
}

interface AliasMove {
  alias: string;
  fromVersion: number | null;
  toVersion: number;
  actor: string;
  reason: string;
  forced: boolean;
  createdAt: string;
}

const ALIASES = ['production', 'canary', 'shadow'] as const;

/** The registry's alias history of production, canary and shadow, newest first. */
export class AliasesPanel {
  constructor(readonly el: HTMLElement) {}

  async load(ctx: PanelContext): Promise<void> {
    const moves = (
      await Promise.all(
        ALIASES.map((a) =>
          ctx.api.get<AliasMove[]>(`/models/${enc(ctx.model)}/aliases/${a}/history`).catch(() => [] as AliasMove[]),
        ),
      )
    )
      .flat()
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, 20);
    if (moves.length === 0) {
      clear(
        this.el,
        empty(
          `No alias of ${ctx.model} has moved yet: promote a version with`,
          `PUT /models/${ctx.model}/aliases/production {"version": 1}`,
        ),
      );
      this.el.dataset.rows = '0';
      return;
    }
    const rows = moves.map((m) => [
      m.alias,
      `${m.fromVersion === null ? 'new' : `v${m.fromVersion}`} → v${m.toVersion}`,
      m.actor,
      `${m.reason}${m.forced ? ' (forced)' : ''}`,
      when(m.createdAt),
    ]);
    clear(this.el, table(['alias', 'move', 'by', 'why', 'when'], rows));
    this.el.dataset.rows = String(rows.length);
  }
}
