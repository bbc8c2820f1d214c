import { LineChart } from '../charts';
import { clear, empty, h } from '../dom';
import { spanQuery } from '../lib/time-range';
import {
  appendTick,
  columnsOf,
  totalRequests,
  type TrafficColumns,
  type TrafficPage,
  type TrafficTick,
} from '../lib/traffic-series';
import { enc, type PanelContext } from './context';

/**
 * Traffic (contract §4 for a range, §3's `traffic` events live): requests a second and error rate,
 * latency percentiles, predictions by version and alias, predicted classes. Live ticks are merged
 * into the columns and the charts get `setData`: points are appended, nothing is rebuilt.
 */
export class TrafficPanel {
  private readonly note = h('div', { class: 'note' });
  private readonly rate: LineChart;
  private readonly latency: LineChart;
  private readonly versions: LineChart;
  private readonly classes: LineChart;
  private columns: TrafficColumns | null = null;
  private model = '';
  private fromSec = 0;

  constructor(readonly el: HTMLElement) {
    const box = (name: string) => h('div', { class: 'chart', 'data-chart': name });
    const [a, b, c, d] = [box('rate'), box('latency'), box('versions'), box('classes')];
    clear(el, this.note, h('div', { class: 'charts' }, a, b, c, d));
    this.rate = new LineChart(a, 'Requests per second and error rate', { y: 'req/s', y2: 'error rate' });
    this.latency = new LineChart(b, 'Latency (ms)', { y: 'ms' });
    this.versions = new LineChart(c, 'Predictions by version and alias', { y: 'predictions' });
    this.classes = new LineChart(d, 'Predicted classes', { y: 'predictions' });
  }

  async load(ctx: PanelContext): Promise<void> {
    this.model = ctx.model;
    this.fromSec = ctx.span.from.getTime() / 1000;
    let page: TrafficPage;
    try {
      page = await ctx.api.get<TrafficPage>(`/monitoring/models/${enc(ctx.model)}/traffic?${spanQuery(ctx.span)}`);
    } catch (err) {
      this.columns = null;
      clear(this.note, empty(`Traffic could not be read: ${(err as Error).message}`));
      this.el.dataset.state = 'unavailable';
      return;
    }
    this.columns = columnsOf(page);
    const requests = page.points.reduce((n, p) => n + p.requests, 0);
    clear(
      this.note,
      requests === 0
        ? empty(
            `No traffic yet for ${ctx.model} in this range: send a prediction with POST /models/${ctx.model}/predict, or run`,
            `npm run traffic -- --model ${ctx.model}`,
          )
        : null,
    );
    this.el.dataset.state = requests === 0 ? 'empty' : 'data';
    this.draw();
  }

  /** A live `traffic` event: merged into the columns and drawn with setData. */
  tick(tick: TrafficTick): void {
    if (!this.columns || !appendTick(this.columns, tick, this.model, this.fromSec)) return;
    this.el.dataset.state = 'data';
    clear(this.note);
    this.draw();
  }

  /** The slots (points) the traffic charts show now. */
  get points(): number {
    return this.rate.points;
  }

  resize(): void {
    for (const c of [this.rate, this.latency, this.versions, this.classes]) c.resize();
  }

  private draw(): void {
    const c = this.columns!;
    // What the charts hold, for a reader of the page's state (the browser test compares it with the API).
    this.el.dataset.requests = String(totalRequests(c));
    this.rate.set(c.x, [{ label: 'req/s' }, { label: 'error rate', scale: 'y2', dash: [6, 3] }], [c.rps, c.errorRate]);
    this.latency.set(c.x, [{ label: 'p50' }, { label: 'p95' }, { label: 'p99' }], [c.p50, c.p95, c.p99]);
    const versions = [...c.byVersion.keys()].sort();
    this.versions.set(
      c.x,
      versions.map((label) => ({ label })),
      versions.map((v) => c.byVersion.get(v)!),
    );
    const classes = [...c.classes.keys()].sort();
    this.classes.set(
      c.x,
      classes.map((label) => ({ label })),
      classes.map((k) => c.classes.get(k)!),
    );
  }
}
