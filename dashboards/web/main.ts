import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { clear, h } from './dom';
import { Api, ApiError, LOGIN_PAGE } from './lib/api';
import { chooseModel, formatState, panelsFor, parseState, type PanelName, type PageState } from './lib/page-state';
import { RefreshQueue } from './lib/refresh-queue';
import { StreamClient, type StreamStatus } from './lib/stream-client';
import { RANGES, spanOf, type RangeKey } from './lib/time-range';
import type { TrafficTick } from './lib/traffic-series';
import { AlertsPanel } from './panels/alerts';
import type { PanelContext } from './panels/context';
import { DriftPanel } from './panels/drift';
import { DataQualityPanel, PerformancePanel } from './panels/quality';
import { AliasesPanel, TrainingPanel } from './panels/registry';
import { TrafficPanel } from './panels/traffic';

/** Without a live stream (an API without it, or while it reconnects) the panels are refetched this often. */
const POLL_MS = 30_000;

const api = new Api({
  fetch: (input, init) => fetch(input, init),
  cookies: () => document.cookie,
  signedOut: () => location.assign(LOGIN_PAGE),
});

function section(id: string, title: string, wide = false): { el: HTMLElement; body: HTMLElement } {
  const body = h('div', { class: 'panel-body', id: `${id}-body` });
  const el = h(
    'section',
    { class: `panel${wide ? ' wide' : ''}`, id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title`, text: title }),
    body,
  );
  return { el, body };
}

class Dashboard {
  private state: PageState = parseState(location.hash);
  private models: string[] = [];
  private readonly modelPicker = h('select', { id: 'model', 'aria-label': 'Model' });
  private readonly rangePicker = h('select', { id: 'range', 'aria-label': 'Time range' });
  private readonly live = h('span', { id: 'live', class: 'live', role: 'status', text: 'live: connecting' });
  private readonly main = h('main', { class: 'grid' });
  private panels: Record<
    Exclude<PanelName, 'models'>,
    { load(ctx: PanelContext): Promise<void>; el: HTMLElement }
  > | null = null;
  private traffic: TrafficPanel | null = null;
  private performance: PerformancePanel | null = null;
  private streamLive = false;
  private readonly stale = new RefreshQueue<PanelName>((which) => this.refresh(which), {
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  });
  private readonly stream = new StreamClient(
    {
      ticket: async () => {
        try {
          return (await api.post<{ ticket: string }>('/dashboard/stream-tickets')).ticket;
        } catch {
          return null;
        }
      },
      open: (url) => new EventSource(url),
      setTimeout: (fn, ms) => window.setTimeout(fn, ms),
      clearTimeout: (t) => window.clearTimeout(t as number),
      random: Math.random,
    },
    {
      status: (s, detail) => this.status(s, detail),
      message: (m) => this.onEvent(m.event, m.data),
    },
  );

  async start(root: HTMLElement): Promise<void> {
    for (const [key, r] of Object.entries(RANGES)) this.rangePicker.append(h('option', { value: key, text: r.label }));
    this.rangePicker.value = this.state.range;
    this.modelPicker.addEventListener('change', () => this.choose({ ...this.state, model: this.modelPicker.value }));
    this.rangePicker.addEventListener('change', () =>
      this.choose({ ...this.state, range: this.rangePicker.value as RangeKey }),
    );
    const signOut = h('button', { type: 'button', class: 'link', text: 'Sign out' });
    signOut.addEventListener('click', () => void this.signOut());
    const me = await api.get<{ email: string; role: string }>('/auth/me');
    clear(
      root,
      h(
        'header',
        { class: 'top' },
        h('h1', { text: 'ml-api monitoring' }),
        h('label', {}, 'Model ', this.modelPicker),
        h('label', {}, 'Range ', this.rangePicker),
        this.live,
        h('span', { class: 'who', text: `${me.email} (${me.role})` }),
        signOut,
      ),
      this.main,
    );
    await this.loadModels();
    this.stream.start();
    window.setInterval(() => {
      if (!this.streamLive) void this.refresh('all');
    }, POLL_MS);
    window.addEventListener('resize', () => {
      this.traffic?.resize();
      this.performance?.resize();
    });
  }

  private async loadModels(): Promise<void> {
    const models = await api.get<{ name: string }[]>('/monitoring/models');
    this.models = models.map((m) => m.name).sort();
    const current = this.modelPicker.value;
    clear(this.modelPicker, ...this.models.map((name) => h('option', { value: name, text: name })));
    this.modelPicker.disabled = this.models.length === 0;
    const model = chooseModel(this.state.model ?? current, this.models);
    if (model !== this.state.model || !this.panels) this.choose({ ...this.state, model });
  }

  private choose(state: PageState): void {
    this.state = state;
    history.replaceState(null, '', formatState(state));
    if (state.model) this.modelPicker.value = state.model;
    this.build();
    void this.refresh('all');
  }

  private build(): void {
    if (!this.state.model) {
      this.panels = null;
      clear(
        this.main,
        h(
          'section',
          { class: 'panel wide empty', role: 'status' },
          h('h2', { text: 'No model in service yet' }),
          h('p', { text: 'Train a model and give a version an alias (production), then send predictions:' }),
          h('p', {}, h('code', { text: 'POST /training-jobs {"dataset": "credit", "promoteTo": "production"}' })),
          h('p', {}, h('code', { text: 'npm run traffic -- --model credit' })),
        ),
      );
      return;
    }
    const s = {
      traffic: section('traffic', 'Traffic', true),
      drift: section('drift', 'Drift per feature', true),
      quality: section('quality', 'Data quality'),
      performance: section('performance', 'Estimated and realised quality'),
      alerts: section('alerts', 'Alerts'),
      training: section('training', 'Training jobs'),
      aliases: section('aliases', 'Alias history'),
    };
    clear(this.main, ...Object.values(s).map((x) => x.el));
    this.traffic = new TrafficPanel(s.traffic.body);
    this.performance = new PerformancePanel(s.performance.body);
    this.panels = {
      traffic: this.traffic,
      drift: new DriftPanel(s.drift.body),
      quality: new DataQualityPanel(s.quality.body),
      performance: this.performance,
      alerts: new AlertsPanel(s.alerts.body),
      training: new TrainingPanel(s.training.body),
      aliases: new AliasesPanel(s.aliases.body),
    };
  }

  private async refresh(which: PanelName[] | 'all'): Promise<void> {
    if (which !== 'all' && which.includes('models')) await this.loadModels();
    const panels = this.panels;
    if (!panels || !this.state.model) return;
    const ctx: PanelContext = { api, model: this.state.model, span: spanOf(this.state.range, Date.now()) };
    const names = (
      which === 'all' ? Object.keys(panels) : which.filter((n) => n !== 'models')
    ) as (keyof typeof panels)[];
    await Promise.all(
      names.map(async (name) => {
        const panel = panels[name];
        panel.el.setAttribute('aria-busy', 'true');
        try {
          await panel.load(ctx);
          panel.el.dataset.loaded = 'true';
        } catch (err) {
          const text = err instanceof ApiError ? `${err.code ?? err.status}: ${err.message}` : String(err);
          panel.el.prepend(h('p', { class: 'error', role: 'alert', text: `Could not load: ${text}` }));
        } finally {
          panel.el.removeAttribute('aria-busy');
        }
      }),
    );
  }

  private onEvent(event: string, data: unknown): void {
    if (event === 'traffic') return this.traffic?.tick(data as TrafficTick);
    const stale = panelsFor(event, data, this.state.model);
    if (stale === 'all' || stale.length) this.stale.ask(stale);
  }

  private status(s: StreamStatus, detail?: string): void {
    this.streamLive = s === 'live';
    this.live.textContent = `live: ${s === 'waiting' ? (detail ?? 'waiting') : s}`;
    this.live.dataset.status = s;
  }

  private async signOut(): Promise<void> {
    this.stream.stop();
    await api.request('DELETE', '/auth/browser-session').catch(() => undefined);
    location.assign(LOGIN_PAGE);
  }
}

void new Dashboard().start(document.getElementById('app')!);
