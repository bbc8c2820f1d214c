import { clear, empty, h } from '../dom';
import {
  driftGrid,
  HEAT_STATISTICS,
  isDrifted,
  pickStatistic,
  type DriftGrid,
  type SeriesPage,
} from '../lib/drift-grid';
import { fmt, when } from '../lib/format';
import { colourOf, inkOn, legend, position, scaleFor, type HeatScale } from '../lib/heat-scale';
import { spanQuery } from '../lib/time-range';
import { enc, type PanelContext } from './context';

interface Histogram {
  feature: string;
  version: number;
  kind: 'numeric' | 'category';
  window: { from: string; to: string };
  edges?: number[];
  values?: string[];
  training: { rows: number; counts: number[] };
  live: { rows: number; counts: number[]; unseen?: { value: string; count: number }[] };
}

/**
 * Drift per feature over time: a heat map (feature × window) coloured by a distance on viridis,
 * the verdicts' threshold marked on the legend and drifted cells outlined; each cell is a button
 * (Tab, Enter) that shows the feature's live histogram over the training one for that window.
 */
export class DriftPanel {
  private readonly picker = h('select', { id: 'drift-statistic', 'aria-label': 'Drift statistic' });
  private readonly grid = h('div', { class: 'heat-wrap' });
  private readonly detail = h('div', { class: 'histogram', 'aria-live': 'polite' });
  private page: SeriesPage | null = null;
  private ctx: PanelContext | null = null;

  constructor(readonly el: HTMLElement) {
    for (const s of HEAT_STATISTICS) this.picker.append(h('option', { value: s, text: s }));
    this.picker.addEventListener('change', () => {
      if (this.ctx) void this.load(this.ctx);
    });
    clear(el, h('label', { class: 'inline' }, 'Colour by ', this.picker), this.grid, this.detail);
  }

  /**
   * Reads only what the grid shows: the statistic it colours by and the verdict rows (`drift`), the
   * marks and the threshold. Every statistic at once is a few MB over a day (docs/benchmarks.md).
   */
  async load(ctx: PanelContext): Promise<void> {
    this.ctx = ctx;
    const read = (statistic: string) =>
      ctx.api.get<SeriesPage>(`/monitoring/models/${enc(ctx.model)}/drift?${spanQuery(ctx.span, { statistic })}`);
    const [colour, verdicts] = await Promise.all([read(this.picker.value || HEAT_STATISTICS[0]), read('drift')]);
    this.page = { ...colour, series: [...colour.series, ...verdicts.series] };
    this.render();
  }

  private render(): void {
    const page = this.page!;
    const statistic = pickStatistic(page, this.picker.value);
    if (!statistic) {
      const thin = page.series.some(
        (x) => x.statistic === 'drift' && x.points.some((p) => p.verdict === 'insufficient_data'),
      );
      clear(
        this.grid,
        thin
          ? empty(
              'The windows in this range have too few predictions for a verdict (MONITORING_MIN_WINDOW_ROWS): send more, e.g.',
              `npm run traffic -- --model ${this.ctx!.model}`,
            )
          : empty(
              'No drift windows in this range yet: the workers compute one every MONITORING_WINDOW_INTERVAL_MS from the traffic, or compute one now with',
              `POST /monitoring/models/${this.ctx!.model}/drift {"from": …, "to": …}`,
            ),
      );
      this.el.dataset.cells = '0';
      this.el.dataset.drifted = '0';
      this.el.dataset.windows = '0';
      return;
    }
    this.picker.value = statistic;
    const grid = driftGrid(page, statistic);
    const scale = scaleFor(
      [...grid.cells.values()].flat().map((c) => c?.value ?? null),
      grid.threshold,
    );
    clear(
      this.grid,
      h('p', {
        class: 'caption',
        text: `${grid.statistic} per feature and window (version ${grid.version ?? '–'}); ▲ = drift verdict`,
      }),
      this.table(grid, scale),
      this.legend(grid, scale),
    );
    const cells = [...grid.cells.values()].flat().filter((c): c is NonNullable<typeof c> => c !== null);
    this.el.dataset.cells = String(cells.length);
    this.el.dataset.drifted = String(cells.filter(isDrifted).length);
    this.el.dataset.windows = String(grid.windows.length);
  }

  private table(grid: DriftGrid, scale: HeatScale): HTMLTableElement {
    const head = h(
      'tr',
      {},
      h('th', { scope: 'col', text: 'feature' }),
      ...grid.windows.map((w) =>
        h('th', { scope: 'col', class: 'window', title: when(w), text: when(w).slice(11, 16) }),
      ),
    );
    const rows = grid.features.map((feature) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row', text: feature }),
        ...grid.cells.get(feature)!.map((cell) => {
          if (!cell) return h('td', { class: 'none' });
          const label = `${feature}, window ending ${when(cell.to)}: ${grid.statistic} ${fmt(cell.value)}${cell.verdict ? `, ${cell.verdict.replace('_', ' ')}` : ''}`;
          const button = h('button', {
            class: `cell${isDrifted(cell) ? ' drifted' : ''}`,
            'aria-label': label,
            title: label,
            text: isDrifted(cell) ? '▲' : '',
          });
          button.style.background = colourOf(cell.value, scale) ?? '';
          button.style.color = inkOn(cell.value, scale);
          // A button: Enter and Space click it, Tab reaches it.
          button.addEventListener('click', () => void this.showHistogram(feature, cell.from, cell.to));
          return h('td', {}, button);
        }),
      ),
    );
    const newest = grid.windows[grid.windows.length - 1] ?? '';
    return h('table', { class: 'heat', 'data-newest': newest }, h('thead', {}, head), h('tbody', {}, ...rows));
  }

  private legend(grid: DriftGrid, scale: HeatScale): HTMLElement {
    const bar = h('div', { class: 'legend-bar' });
    for (const stop of legend(scale, 9)) {
      const swatch = h('span', { class: 'swatch', title: fmt(stop.value) });
      swatch.style.background = stop.colour;
      bar.append(swatch);
    }
    if (grid.threshold !== null) {
      const mark = h('span', { class: 'threshold-mark', title: `threshold ${fmt(grid.threshold)}` });
      mark.style.left = `${position(grid.threshold, scale) * 100}%`;
      bar.append(mark);
    }
    return h(
      'div',
      { class: 'legend' },
      h('span', { text: '0' }),
      bar,
      h('span', { text: fmt(scale.max) }),
      h('span', { class: 'threshold-text', text: thresholdText(grid) }),
    );
  }

  private async showHistogram(feature: string, from: string, to: string): Promise<void> {
    const ctx = this.ctx!;
    clear(this.detail, h('p', { text: `Loading ${feature}…` }));
    // The live histogram is read from the minute buckets: a window computed on demand (any from/to)
    // is widened to the whole minutes holding it, else the buckets that hold its rows fall outside.
    const minute = 60_000;
    const q = new URLSearchParams({
      from: new Date(Math.floor(Date.parse(from) / minute) * minute).toISOString(),
      to: new Date(Math.ceil(Date.parse(to) / minute) * minute).toISOString(),
    });
    let hist: Histogram;
    try {
      hist = await ctx.api.get<Histogram>(
        `/monitoring/models/${enc(ctx.model)}/features/${enc(feature)}/histogram?${q.toString()}`,
      );
    } catch (err) {
      clear(this.detail, empty(`No histogram for ${feature}: ${(err as Error).message}`));
      return;
    }
    const labels =
      hist.kind === 'category'
        ? (hist.values ?? [])
        : (hist.edges ?? []).slice(0, -1).map((e, i) => `${fmt(e, 2)} – ${fmt(hist.edges![i + 1], 2)}`);
    const share = (n: number, rows: number) => (rows > 0 ? n / rows : 0);
    const rows = labels.map((label, i) => {
      const [live, train] = [
        share(hist.live.counts[i] ?? 0, hist.live.rows),
        share(hist.training.counts[i] ?? 0, hist.training.rows),
      ];
      const bar = (cls: string, v: number) => {
        const b = h('span', { class: `bar ${cls}` });
        b.style.width = `${Math.round(v * 100)}%`;
        return b;
      };
      return h(
        'tr',
        {},
        h('th', { scope: 'row', text: label }),
        h('td', {}, h('div', { class: 'bars' }, bar('training', train), bar('live', live))),
        h('td', { class: 'num', text: `${(live * 100).toFixed(1)}% / ${(train * 100).toFixed(1)}%` }),
      );
    });
    const unseen = hist.live.unseen?.length
      ? h('p', { text: `Unseen in training: ${hist.live.unseen.map((u) => `${u.value} (${u.count})`).join(', ')}` })
      : null;
    clear(
      this.detail,
      h('h3', {
        text: `${feature}: live (${hist.live.rows}) over training (${hist.training.rows}), v${hist.version}, ${when(hist.window.from)} → ${when(hist.window.to)}`,
      }),
      h(
        'table',
        { class: 'hist', 'data-feature': feature },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { text: 'bin' }),
            h('th', { text: 'training (grey) · live (blue)' }),
            h('th', { text: 'live / training' }),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
      unseen,
    );
  }
}

/** What the marks mean: the distance threshold on the legend, and ▲ for the verdicts of p-value tests. */
function thresholdText(grid: DriftGrid): string {
  const parts: string[] = [];
  if (grid.threshold !== null)
    parts.push(`threshold ${fmt(grid.threshold)} (the verdicts' distance threshold, marked)`);
  if (grid.pValue)
    parts.push(`▲ drift by ${grid.pValue.tests.join(', ') || 'a test'} at p < ${fmt(grid.pValue.threshold)}`);
  return parts.join('; ') || 'no verdicts in these windows';
}
