import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { processJobs } from '../../../common/queue/job-catalogue';
import { AppConfig } from '../../../config/app-config';
import { AlertEvaluator } from '../alert-evaluator.service';
import { AlertRulesService } from '../alert-rules.service';
import { ALERT_EVALUATION_QUEUE, type AlertEvaluationJobs } from './alert-evaluation.jobs';
import { AlertEvaluationProducer } from './alert-evaluation.producer';

/**
 * Consumes the alert-evaluation queue (worker role): at start seeds the default rules and makes
 * the schedule ALERT_EVALUATION_INTERVAL_MS, then evaluates at each tick (one at a time).
 */
@Injectable()
export class AlertEvaluationProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(AlertEvaluationProcessor.name);

  constructor(
    @InjectQueue(ALERT_EVALUATION_QUEUE) private readonly queue: Queue,
    private readonly producer: AlertEvaluationProducer,
    private readonly rules: AlertRulesService,
    private readonly evaluator: AlertEvaluator,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.rules.seedDefaults();
    await this.producer.schedule(this.config.env.ALERT_EVALUATION_INTERVAL_MS);
    processJobs<AlertEvaluationJobs>(this.queue, {
      evaluate: {
        concurrency: 1,
        handle: async () => {
          const summary = await this.evaluator.evaluate();
          if (summary && (summary.fired.length || summary.resolved.length))
            this.logger.log(summary, 'alerts evaluated');
          return summary;
        },
      },
    });
  }
}
