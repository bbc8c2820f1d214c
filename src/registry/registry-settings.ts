import { execFileSync } from 'node:child_process';
import type { AppConfig } from '../config/app-config';
import { parseMinMetrics, type GateConfig } from './quality-gate';

/** The quality gate's settings from the validated environment. */
export function gateConfigFrom(config: AppConfig): GateConfig {
  const env = config.env;
  return {
    minMetrics: parseMinMetrics(env.GATE_MIN_METRICS),
    primaryMetrics: env.GATE_PRIMARY_METRIC.split(',')
      .map((m) => m.trim())
      .filter(Boolean),
    maxRegression: env.GATE_MAX_REGRESSION,
    onDifferentData: env.GATE_ON_DIFFERENT_DATA,
  };
}

let cachedSha: string | undefined;

/** The code version recorded on runs: GIT_SHA, else `git rev-parse HEAD` (read once), else `unknown`. */
export function codeVersion(config: AppConfig): string {
  if (config.env.GIT_SHA) return config.env.GIT_SHA;
  if (cachedSha === undefined) {
    try {
      cachedSha =
        execFileSync('git', ['rev-parse', 'HEAD'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
          timeout: 2000,
        }).trim() || 'unknown';
    } catch {
      // Containers usually ship without .git: the image build passes GIT_SHA instead.
      cachedSha = 'unknown';
    }
  }
  return cachedSha;
}
