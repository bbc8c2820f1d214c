import { Injectable } from '@nestjs/common';
import { TrainingFailures } from '../../../training';
import type { AlertRuleEntity } from '../alert-rule.entity';
import { AlertSignal, windowOf, type EvaluationWindow, type SignalReading } from './alert-signal';

/** `training_failures`: training jobs that failed for good in the window (training's public entry). */
@Injectable()
export class TrainingFailuresSignal extends AlertSignal {
  readonly kinds = ['training_failures'] as const;

  constructor(private readonly failures: TrainingFailures) {
    super();
  }

  async read(rule: AlertRuleEntity, window: EvaluationWindow): Promise<SignalReading[]> {
    const threshold = Number(rule.params.threshold ?? 0);
    const { failed, latest } = await this.failures.between(window.from, window.to, rule.model);
    return [
      {
        subject: rule.model ?? 'training',
        model: rule.model,
        breached: failed > threshold,
        value: failed,
        threshold,
        evidence: {
          measured: rule.model ? `failed training jobs of ${rule.model}` : 'failed training jobs',
          window: windowOf(window),
          comparator: '>',
          failedJobs: latest.map((j) => ({ ...j, finishedAt: j.finishedAt?.toISOString() ?? null })),
        },
      },
    ];
  }
}
