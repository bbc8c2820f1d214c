/**
 * The laptop-demo monitoring settings `scripts/demo.sh` starts the API with (README, "Two
 * commands"), so the loop (traffic, drift, estimated then realised quality, an alert) shows
 * within minutes instead of the production defaults' hours: a 5-minute window, the window job,
 * realised quality and the alert evaluation every 15–30 s, and demo alert rules whose hold times
 * follow the window. Each is only a default: a variable already in the environment wins.
 * Run as a script (`node dist/scripts/demo/settings.js`), it prints them as `export` lines for
 * demo.sh to eval; tests start the app with `demoSettings()`.
 */
import type { CreateAlertRuleDto } from '../../src/monitoring/alerts/dto/alert-rule.dto';
import { BUILTIN_RULES } from '../../src/monitoring/alerts/default-rules';

/** The demo's values where the environment has none (production's defaults: src/config/env.schema.ts). */
export const DEMO_DEFAULTS = {
  // Realised quality is computed on windows of this length once they have ended: 5 min, not 1 h.
  MONITORING_WINDOW_MS: '300000',
  // Drift and estimated quality of the last window every 15 s (a few ms of SQL on the buckets).
  MONITORING_WINDOW_INTERVAL_MS: '15000',
  // Realised quality every 30 s, over the last hour (labels come 30 s after their answer here).
  MONITORING_REALISED_INTERVAL_MS: '30000',
  MONITORING_REALISED_LOOKBACK_MS: '3600000',
  ALERT_EVALUATION_INTERVAL_MS: '15000',
} as const;

/**
 * The floors of the demo's accuracy rules: below what the demo's credit model scores on the shipped
 * rows (about 0.75, estimated and realised, on 1-minute windows) by more than a window's noise, so
 * plain traffic does not page; `--drift` takes it to about 0.72, so they fire on a real collapse
 * (a weaker model, other data), not on the demo's drift, which the drift rule catches.
 */
export const DEMO_FLOORS = { estimatedAccuracy: 0.7, realisedAccuracy: 0.7 } as const;

/**
 * The demo's alert rules for a window of `windowMs` evaluated every `evaluationMs`: the built-in
 * ones but `dataset-drift` (1 h hold), and dataset drift and accuracy floors with holds of a fifth of the window
 * (at least two evaluations, so one bad evaluation pages no one) that look back two windows (so
 * the newest ended aligned window is always in view). Names of their own (`demo-…`): seeding
 * goes by name once, and a database of an earlier demo keeps its `dataset-drift` with 1 h holds.
 */
export function demoRules(windowMs: number, evaluationMs: number): CreateAlertRuleDto[] {
  const seconds = (ms: number) => Math.ceil(ms / 1000);
  const windowSeconds = Math.max(2 * seconds(windowMs), seconds(evaluationMs));
  const forSeconds = Math.max(seconds(windowMs / 5), 2 * seconds(evaluationMs));
  const held = { severity: 'warning' as const, windowSeconds, forSeconds };
  const builtin = BUILTIN_RULES.filter((r) => r.name !== 'dataset-drift').map((r) => ({
    ...r,
    windowSeconds: Math.max(r.windowSeconds, seconds(evaluationMs)),
  }));
  return [
    ...builtin,
    { name: 'demo-dataset-drift', kind: 'drift_verdict', ...held },
    {
      name: 'demo-estimated-accuracy',
      kind: 'estimated_quality_floor',
      params: { metric: 'accuracy', floor: DEMO_FLOORS.estimatedAccuracy },
      ...held,
    },
    {
      name: 'demo-realised-accuracy',
      kind: 'realised_quality_floor',
      params: { metric: 'accuracy', floor: DEMO_FLOORS.realisedAccuracy },
      ...held,
    },
  ];
}

/** The demo's settings over `env`: each DEMO_DEFAULTS value and the demo rules, where `env` sets none. */
export function demoSettings(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(DEMO_DEFAULTS)) out[name] = env[name] || value;
  out.ALERT_RULES_DEFAULT =
    env.ALERT_RULES_DEFAULT ||
    JSON.stringify(demoRules(Number(out.MONITORING_WINDOW_MS), Number(out.ALERT_EVALUATION_INTERVAL_MS)));
  return out;
}

/** A single-quoted shell word. */
const quoted = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

if (require.main === module)
  process.stdout.write(
    Object.entries(demoSettings())
      .map(([name, value]) => `export ${name}=${quoted(value)}\n`)
      .join(''),
  );
