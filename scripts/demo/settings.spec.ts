import { envSchema } from '../../src/config/env.schema';
import { defaultRules } from '../../src/monitoring/alerts/default-rules';
import { recentWindows, scheduledWindow } from '../../src/monitoring/windows/window-plan';
import { DEMO_DEFAULTS, demoRules, demoSettings } from './settings';

const MINUTE = 60_000;

describe('the demo settings', () => {
  const settings = demoSettings({});

  it('are the demo defaults where the environment sets none, and the environment wins', () => {
    expect(settings).toMatchObject(DEMO_DEFAULTS);
    const mine = demoSettings({ MONITORING_WINDOW_MS: '600000', ALERT_RULES_DEFAULT: 'builtin' });
    expect(mine).toMatchObject({ MONITORING_WINDOW_MS: '600000', ALERT_RULES_DEFAULT: 'builtin' });
    expect(mine.ALERT_EVALUATION_INTERVAL_MS).toBe(DEMO_DEFAULTS.ALERT_EVALUATION_INTERVAL_MS);
  });

  it('pass the app configuration and its check of ALERT_RULES_DEFAULT', () => {
    const env = envSchema.parse({ JWT_SECRET: 'x'.repeat(40), ...settings });
    expect(env.MONITORING_WINDOW_MS).toBe(5 * MINUTE);
    const rules = defaultRules(env.ALERT_RULES_DEFAULT, env.ALERT_EVALUATION_INTERVAL_MS);
    const byName = new Map(rules.map((r) => [r.name, r]));
    // 5-minute windows: a minute's hold (four evaluations at 15 s), two windows in view.
    for (const name of ['demo-dataset-drift', 'demo-estimated-accuracy', 'demo-realised-accuracy'])
      expect(byName.get(name)).toMatchObject({ windowSeconds: 600, forSeconds: 60, model: null });
    expect(byName.get('demo-realised-accuracy')?.params).toEqual({ metric: 'accuracy', floor: 0.7 });
    // The built-in rules but the 1 h-hold dataset-drift one.
    expect(byName.has('dataset-drift')).toBe(false);
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['error-rate', 'latency-p99', 'missing-values']));
  });

  it('hold for at least two evaluations whatever the window, and look back at least one evaluation', () => {
    const rule = demoRules(MINUTE, 15_000).find((r) => r.name === 'demo-dataset-drift');
    expect(rule).toMatchObject({ windowSeconds: 120, forSeconds: 30 });
    expect(demoRules(MINUTE, 5_000).find((r) => r.name === 'demo-dataset-drift')).toMatchObject({ forSeconds: 12 });
    expect(() => defaultRules(JSON.stringify(demoRules(MINUTE, 300_000)), 300_000)).not.toThrow();
  });

  it('plan 5-minute windows the realised job and the window job share', () => {
    const now = Date.parse('2026-12-08T10:07:30Z');
    const windows = recentWindows(now, 5 * MINUTE, Number(settings.MONITORING_REALISED_LOOKBACK_MS));
    expect(windows).toHaveLength(12);
    expect(windows[0]).toEqual({ from: new Date('2026-12-08T10:00:00Z'), to: new Date('2026-12-08T10:05:00Z') });
    expect(windows[11].from).toEqual(new Date('2026-12-08T09:05:00Z'));
    // The sliding window the drift rule reads ends at the last flushed minute.
    expect(scheduledWindow(new Date(now), 5 * MINUTE, 3000)).toEqual({
      from: new Date('2026-12-08T10:02:00Z'),
      to: new Date('2026-12-08T10:07:00Z'),
    });
  });
});
