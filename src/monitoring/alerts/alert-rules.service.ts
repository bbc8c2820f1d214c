import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { validationFailed } from '../../common/errors/common.errors';
import { AppConfig } from '../../config/app-config';
import { MonitoringError, MonitoringErrorCode } from '../monitoring.errors';
import { AlertRuleEntity } from './alert-rule.entity';
import { defaultRules } from './default-rules';
import type { CreateAlertRuleDto, UpdateAlertRuleDto } from './dto/alert-rule.dto';
import { checkRule, type CheckedRule } from './rule-checks';

const UNIQUE_VIOLATION = '23505';
export const DEFAULT_RULE_CREATOR = 'default';

/** Alert rules: the admin API's CRUD and the seeding of ALERT_RULES_DEFAULT. */
@Injectable()
export class AlertRulesService {
  private readonly logger = new Logger(AlertRulesService.name);

  constructor(
    @InjectRepository(AlertRuleEntity) private readonly rules: Repository<AlertRuleEntity>,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly config: AppConfig,
  ) {}

  list(): Promise<AlertRuleEntity[]> {
    return this.rules.find({ order: { name: 'ASC' } });
  }

  enabled(): Promise<AlertRuleEntity[]> {
    return this.rules.find({ where: { enabled: true }, order: { name: 'ASC' } });
  }

  async get(id: string): Promise<AlertRuleEntity> {
    const rule = await this.rules.findOneBy({ id });
    if (!rule) throw new MonitoringError(MonitoringErrorCode.ALERT_RULE_NOT_FOUND, `Alert rule ${id} not found`);
    return rule;
  }

  async create(input: CreateAlertRuleDto, createdBy: string): Promise<AlertRuleEntity> {
    return this.save(this.rules.create({ ...this.checked(input), createdBy }));
  }

  /** Changes some fields; the rule as changed is checked as a whole (a new kind needs its params). */
  async update(id: string, change: UpdateAlertRuleDto): Promise<AlertRuleEntity> {
    const rule = await this.get(id);
    const merged: CreateAlertRuleDto = {
      name: change.name ?? rule.name,
      kind: change.kind ?? rule.kind,
      model: change.model === undefined ? rule.model : change.model,
      params: change.params ?? (change.kind && change.kind !== rule.kind ? {} : rule.params),
      severity: change.severity ?? rule.severity,
      windowSeconds: change.windowSeconds ?? rule.windowSeconds,
      forSeconds: change.forSeconds ?? rule.forSeconds,
      retrain: change.retrain ?? rule.retrain,
      enabled: change.enabled ?? rule.enabled,
    };
    return this.save(Object.assign(rule, this.checked(merged)));
  }

  /** Its open alerts resolve at the next evaluation (their rule is gone); their history stays. */
  async remove(id: string): Promise<void> {
    const { affected } = await this.rules.delete({ id });
    if (!affected) throw new MonitoringError(MonitoringErrorCode.ALERT_RULE_NOT_FOUND, `Alert rule ${id} not found`);
  }

  /**
   * Seeds the rules of ALERT_RULES_DEFAULT whose names were never seeded (workers at start;
   * idempotent, and concurrent starts insert each once): an admin's change or deletion of a
   * default rule stays. Throws, naming each problem, when the setting holds a bad rule.
   */
  async seedDefaults(): Promise<string[]> {
    const rules = defaultRules(this.config.env.ALERT_RULES_DEFAULT, this.config.env.ALERT_EVALUATION_INTERVAL_MS);
    const seeded: string[] = [];
    for (const rule of rules) {
      await this.ds.transaction(async (m) => {
        const claimed = await m.query<unknown[]>(
          'INSERT INTO monitoring.alert_rule_seeds (name) VALUES ($1) ON CONFLICT DO NOTHING RETURNING name',
          [rule.name],
        );
        if (!claimed.length) return;
        await m.query(
          `INSERT INTO monitoring.alert_rules (name, kind, model, params, severity, window_seconds, for_seconds, retrain, enabled, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (name) DO NOTHING`,
          [
            rule.name,
            rule.kind,
            rule.model,
            JSON.stringify(rule.params),
            rule.severity,
            rule.windowSeconds,
            rule.forSeconds,
            rule.retrain,
            rule.enabled,
            DEFAULT_RULE_CREATOR,
          ],
        );
        seeded.push(rule.name);
      });
    }
    if (seeded.length) this.logger.log({ rules: seeded }, 'default alert rules seeded');
    return seeded;
  }

  private checked(input: CreateAlertRuleDto): CheckedRule {
    const result = checkRule(input, this.config.env.ALERT_EVALUATION_INTERVAL_MS);
    if ('problems' in result) throw validationFailed(result.problems);
    return result.rule;
  }

  private async save(rule: AlertRuleEntity): Promise<AlertRuleEntity> {
    try {
      return await this.rules.save(rule);
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      throw new MonitoringError(
        MonitoringErrorCode.ALERT_RULE_NAME_TAKEN,
        `An alert rule named ${rule.name} exists already`,
        [{ field: 'name', message: 'is taken' }],
      );
    }
  }
}
