import { LineChart } from '../charts';
import { clear, empty, h, table } from '../dom';
import type { SeriesPage } from '../lib/drift-grid';
import { fmt, pct, when } from '../lib/format';
import { spanQuery } from '../lib/time-range';
import { enc, type PanelContext } from './context';

const QUALITY = ['missing_rate', 'out_of_range_rate', 'unknown_category_rate'] as const;

/** Data quality per feature: the newest window's rates (missing, out of range, unknown categories). */
export class DataQualityPanel {
  constructor(readonly el: HTMLElement) {}

  async load(ctx: PanelContext): Promise<void> {
    const page = await ctx.api.get<SeriesPage>(
      `/monitoring/models/${enc(ctx.model)}/data-quality?${spanQuery(ctx.span)}`,
    );
    const version = Math.max(0, ...page.series.map((s) => s.version));
    const latest = new Map<string, Record<string, number | null>>();
    let windowEnd = '';
    for (const s of page.series.filter((x) => x.version === version && x.column !== '')) {
      const last = s.points[s.points.length - 1];
      if (!last) continue;
      if (last.to > windowEnd) windowEnd = last.to;
      const row = latest.get(s.column) ?? {};
      row[s.statistic] = last.value;
      latest.set(s.column, row);
    }
    if (latest.size === 0) {
      clear(this.el, empty('No data-quality results in this range yet: they come with each drift window.'));
      this.el.dataset.rows = '0';
      return;
    }
    const rows = [...latest.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([feature, r]) => [feature, ...QUALITY.map((q) => (q in r ? pct(r[q]) : 'n/a'))]);
    clear(
      this.el,
      table(
        ['feature', 'missing', 'out of range', 'unknown category'],
        rows,
        `v${version}, window ending ${when(windowEnd)}`,
      ),
    );
    this.el.dataset.rows = String(rows.length);
  }
}

interface MetricValue {
  value: number | null;
  lower?: number | null;
  upper?: number | null;
}
interface PerformancePage {
  windows: {
    version: number;
    from: string;
    to: string;
    estimated: Record<string, MetricValue>;
    realised: Record<string, MetricValue>;
  }[];
}
interface Comparison {
  windows: {
    windowStart: string;
    windowEnd: string;
    versions: {
      version: number;
      aliases: string[];
      traffic: string;
      predictions: number | null;
      labelledShare: number | null;
      realised: Record<string, number | null>;
      realisedInsufficient: boolean;
      estimated: Record<string, number | null>;
      shadow?: {
        productionVersion: number;
        pairs: number;
        agreement: number | null;
        probabilityDiffMean: number | null;
      };
    }[];
  }[];
}

/**
 * Estimated (CBPE) and realised quality per version over time, and the newest comparison window:
 * production beside canary and shadow, with the shadow's agreement with production.
 */
export class PerformancePanel {
  private readonly chartBox = h('div', { class: 'chart', 'data-chart': 'performance' });
  private readonly chart = new LineChart(
    this.chartBox,
    'Accuracy per version: estimated (solid) and realised (dashed)',
    { y: 'accuracy' },
  );
  private readonly note = h('div');
  private readonly comparison = h('div', { class: 'comparison' });

  constructor(readonly el: HTMLElement) {
    clear(el, this.note, this.chartBox, this.comparison);
  }

  async load(ctx: PanelContext): Promise<void> {
    const [perf, cmp] = await Promise.all([
      // `all`: the sliding windows' estimates too, so a model shows a current estimate before its first aligned window ends.
      ctx.api.get<PerformancePage>(
        `/monitoring/models/${enc(ctx.model)}/performance?${spanQuery(ctx.span, { windows: 'all' })}`,
      ),
      ctx.api.get<Comparison>(
        `/monitoring/models/${enc(ctx.model)}/comparison?${new URLSearchParams({ from: ctx.span.from.toISOString(), to: ctx.span.to.toISOString(), points: '1' }).toString()}`,
      ),
    ]);
    this.chart.xRange = [ctx.span.from.getTime() / 1000, ctx.span.to.getTime() / 1000];
    this.drawChart(perf);
    this.drawComparison(cmp, ctx.model);
  }

  resize(): void {
    this.chart.resize();
  }

  private drawChart(perf: PerformancePage): void {
    if (perf.windows.length === 0) {
      clear(
        this.note,
        empty('No estimated quality in this range yet: it comes with each drift window of a classification model.'),
      );
      this.chartBox.hidden = true;
      return;
    }
    clear(this.note);
    this.chartBox.hidden = false;
    const x = [...new Set(perf.windows.map((w) => Date.parse(w.to) / 1000))].sort((a, b) => a - b);
    const at = new Map(x.map((t, i) => [t, i]));
    const versions = [...new Set(perf.windows.map((w) => w.version))].sort((a, b) => a - b);
    const lines: { label: string; dash?: number[] }[] = [];
    const ys: (number | null)[][] = [];
    for (const v of versions)
      for (const kind of ['estimated', 'realised'] as const) {
        const y = new Array<number | null>(x.length).fill(null);
        for (const w of perf.windows.filter((w) => w.version === v))
          y[at.get(Date.parse(w.to) / 1000)!] = w[kind].accuracy?.value ?? null;
        if (y.some((n) => n !== null)) {
          lines.push({ label: `v${v} ${kind}`, dash: kind === 'realised' ? [6, 3] : undefined });
          ys.push(y);
        }
      }
    this.chart.set(x, lines, ys);
  }

  private drawComparison(cmp: Comparison, model: string): void {
    const newest = cmp.windows[0];
    if (!newest) {
      clear(
        this.comparison,
        empty(
          `No realised quality yet: send true labels with POST /predictions/{id}/feedback, or run`,
          `npm run traffic -- --model ${model} --feedback-delay 30s`,
        ),
      );
      return;
    }
    const rows = newest.versions.map((v) => [
      `v${v.version}`,
      v.aliases.filter(Boolean).join(', ') || '(by number)',
      fmt(v.predictions, 0),
      pct(v.labelledShare),
      v.realisedInsufficient ? 'too few labels' : fmt(v.realised.accuracy ?? null),
      fmt(v.estimated.accuracy ?? null),
      v.shadow ? `${pct(v.shadow.agreement)} of ${v.shadow.pairs} (vs v${v.shadow.productionVersion})` : '–',
    ]);
    clear(
      this.comparison,
      table(
        [
          'version',
          'aliases',
          'predictions',
          'labelled',
          'realised accuracy',
          'estimated accuracy',
          'shadow agreement',
        ],
        rows,
        `Production beside canary and shadow, window ${when(newest.windowStart)} → ${when(newest.windowEnd)}`,
      ),
    );
  }
}
