import { clear, empty, h } from '../dom';
import { fmt, when } from '../lib/format';
import { enc, type PanelContext } from './context';

interface Alert {
  id: string;
  ruleName: string;
  kind: string;
  severity: string;
  subject: string;
  state: string;
  value: number | null;
  threshold: number | null;
  evidence: Record<string, unknown>;
  firedAt: string | null;
  resolvedAt: string | null;
  updatedAt: string;
}

/** Alerts of the model, firing and resolved, each opening its evidence (GET /alerts/{id}). */
export class AlertsPanel {
  constructor(readonly el: HTMLElement) {}

  async load(ctx: PanelContext): Promise<void> {
    const q = new URLSearchParams({ model: ctx.model, since: ctx.span.from.toISOString(), limit: '50' });
    const page = await ctx.api.get<{ items: Alert[]; total: number }>(`/alerts?${q.toString()}`);
    const shown = page.items.filter((a) => a.state === 'firing' || a.state === 'resolved');
    this.el.dataset.rows = String(shown.length);
    if (shown.length === 0) {
      clear(
        this.el,
        empty(
          `No alert fired for ${ctx.model} in this range. Drifted traffic makes one: `,
          `npm run traffic -- --model ${ctx.model} --drift`,
        ),
      );
      return;
    }
    const list = h('ul', { class: 'alerts' });
    for (const a of shown) {
      const evidence = h('div', { class: 'evidence', hidden: true });
      const link = h('a', { href: `#alert-${a.id}`, text: 'evidence', 'aria-expanded': 'false' });
      link.addEventListener('click', (e) => {
        e.preventDefault();
        void this.toggle(ctx, a.id, link, evidence);
      });
      list.append(
        h(
          'li',
          { id: `alert-${a.id}`, class: `alert ${a.state}` },
          h('span', { class: `badge ${a.state}`, text: a.state }),
          h('strong', { text: ` ${a.ruleName} ` }),
          h('span', {
            text: `${a.subject}: ${fmt(a.value)} (threshold ${fmt(a.threshold)}) · ${a.severity} · ${a.state === 'firing' ? `since ${when(a.firedAt)}` : `resolved ${when(a.resolvedAt)}`} · `,
          }),
          link,
          evidence,
        ),
      );
    }
    clear(this.el, list);
  }

  private async toggle(ctx: PanelContext, id: string, link: HTMLElement, box: HTMLElement): Promise<void> {
    if (!box.hidden) {
      box.hidden = true;
      link.setAttribute('aria-expanded', 'false');
      return;
    }
    const alert = await ctx.api.get<Alert>(`/alerts/${enc(id)}`);
    clear(box, h('pre', { text: JSON.stringify(alert.evidence, null, 2) }));
    box.hidden = false;
    link.setAttribute('aria-expanded', 'true');
  }
}
