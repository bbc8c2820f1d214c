import uPlot from 'uplot';

/**
 * uPlot line charts that keep their plot: new data goes through `setData` on the same instance
 * (no rebuild), and a chart is rebuilt only when its set of lines changes.
 */
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000'];

export interface LineSpec {
  label: string;
  scale?: string;
  dash?: number[];
}

export class LineChart {
  private plot: uPlot | null = null;
  private labels = '';
  /** Points on the x axis now (read by the browser test through data-points). */
  points = 0;

  constructor(
    readonly el: HTMLElement,
    private readonly title: string,
    private readonly axes: { y: string; y2?: string },
  ) {}

  /** The time span the x axis shows (seconds), else the data's own: one point would span years. */
  xRange: [number, number] | null = null;

  set(x: number[], lines: LineSpec[], ys: (number | null)[][]): void {
    const key = lines.map((l) => `${l.label}:${l.scale ?? 'y'}`).join('|');
    const data = [x, ...ys] as uPlot.AlignedData;
    if (!this.plot || key !== this.labels) {
      this.plot?.destroy();
      this.labels = key;
      this.plot = new uPlot(this.options(lines), data, this.el);
    } else this.plot.setData(data);
    this.points = x.length;
    this.el.dataset.points = String(x.length);
  }

  resize(): void {
    if (this.plot) this.plot.setSize({ width: this.width(), height: 200 });
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = null;
    this.labels = '';
  }

  private width(): number {
    return Math.max(260, Math.floor(this.el.clientWidth || 600));
  }

  private options(lines: LineSpec[]): uPlot.Options {
    const axes: uPlot.Axis[] = [{}, { label: this.axes.y, scale: 'y' }];
    if (this.axes.y2) axes.push({ label: this.axes.y2, scale: 'y2', side: 1, grid: { show: false } });
    return {
      title: this.title,
      width: this.width(),
      height: 200,
      scales: { x: { time: true, range: (_u, min, max) => this.xRange ?? [min, max] } },
      axes,
      series: [
        {},
        ...lines.map((l, i) => ({
          label: l.label,
          scale: l.scale ?? 'y',
          stroke: PALETTE[i % PALETTE.length],
          width: 2,
          dash: l.dash,
          spanGaps: false,
          points: { show: true, size: 4 },
        })),
      ],
    };
  }
}
