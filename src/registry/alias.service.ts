import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { EventBus } from '../events';
import { AliasMoved, type AliasMovedEvent } from './alias-moved.event';
import { ALIAS_PATTERN, type AliasMoveDto } from './dto/model.dto';
import { AliasAuditEntity } from './entities/alias-audit.entity';
import { ModelAliasEntity } from './entities/model-alias.entity';
import { ModelVersionEntity } from './entities/model-version.entity';
import { MirrorProducer } from './mlflow/mirror.producer';
import { ModelRegistryService } from './model-registry.service';
import { evaluateGate, type GateConfig, type GateSubject } from './quality-gate';
import { RegistryError, RegistryErrorCode } from './registry.errors';
import { gateConfigFrom } from './registry-settings';

/** Who moves an alias; only admins may force past the gate. */
export interface AliasActor {
  id: string;
  isAdmin: boolean;
}

export interface MoveAliasInput {
  version: number;
  reason: string;
  force?: boolean;
}

/** Aliases (`production`, `staging`, ...): gated moves, audit, events. Rollback = move back. */
@Injectable()
export class AliasService {
  private readonly logger = new Logger(AliasService.name);
  private readonly gate: GateConfig;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly models: ModelRegistryService,
    private readonly events: EventBus,
    private readonly mirror: MirrorProducer,
    config: AppConfig,
  ) {
    this.gate = gateConfigFrom(config);
  }

  async move(modelName: string, alias: string, input: MoveAliasInput, actor: AliasActor): Promise<AliasMoveDto> {
    if (!ALIAS_PATTERN.test(alias))
      throw new RegistryError(RegistryErrorCode.INVALID_ALIAS_NAME, 'Invalid alias', [
        { field: 'alias', message: 'a letter, then letters, digits, _ or -, up to 64 characters' },
      ]);
    if (input.force && !actor.isAdmin)
      throw new RegistryError(
        RegistryErrorCode.FORCE_NEEDS_ADMIN,
        'Only an admin can force an alias move past the quality gate',
      );
    const { audit, versionId } = await this.dataSource.transaction(async (m) => {
      const model = await this.models.lockModel(m, modelName);
      const versions = m.getRepository(ModelVersionEntity);
      const candidate = await versions.findOneBy({ modelId: model.id, version: input.version });
      if (!candidate)
        throw new RegistryError(RegistryErrorCode.UNKNOWN_VERSION, 'Unknown version', [
          { field: 'version', message: `model ${modelName} has no version ${input.version}` },
        ]);
      const held = await m.getRepository(ModelAliasEntity).findOneBy({ modelId: model.id, alias });
      const current = held ? await versions.findOneByOrFail({ id: held.versionId }) : null;
      const gate = evaluateGate(this.gate, subject(candidate), current && subject(current));
      if (!gate.passed && !input.force) {
        throw new RegistryError(
          RegistryErrorCode.QUALITY_GATE_REFUSED,
          `Quality gate refused moving ${alias} to version ${input.version}`,
          gate.reasons.map((r) => ({ ...r })),
        );
      }
      const now = new Date();
      await m
        .getRepository(ModelAliasEntity)
        .upsert({ modelId: model.id, alias, versionId: candidate.id, updatedAt: now, updatedBy: actor.id }, [
          'modelId',
          'alias',
        ]);
      const saved = await m.getRepository(AliasAuditEntity).save({
        modelId: model.id,
        alias,
        fromVersion: current?.version ?? null,
        toVersion: candidate.version,
        actor: actor.id,
        reason: input.reason,
        forced: !!input.force && !gate.passed,
        gate,
      });
      return { audit: saved, versionId: candidate.id };
    });
    const dto = toDto(modelName, audit);
    await this.announce({ ...pick(dto), versionId, auditId: audit.id, movedAt: dto.createdAt });
    this.mirror.requestModel(modelName);
    return dto;
  }

  async history(modelName: string, alias: string, limit = 100, offset = 0): Promise<AliasMoveDto[]> {
    const model = await this.models.getModel(modelName);
    const rows = await this.dataSource.getRepository(AliasAuditEntity).find({
      where: { modelId: model.id, alias },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return rows.map((r) => toDto(modelName, r));
  }

  /** Here at once, then every other replica; a transport failure does not undo the committed move. */
  private async announce(event: AliasMovedEvent): Promise<void> {
    try {
      await this.events.publish(AliasMoved, event);
    } catch (err) {
      // Replicas also re-resolve aliases on their own schedule (INFERENCE_ALIAS_TTL_MS).
      this.logger.error({ err: (err as Error).message, event }, 'could not publish alias-moved to Redis');
    }
  }
}

function subject(v: ModelVersionEntity): GateSubject {
  return {
    version: v.version,
    metrics: v.metrics,
    evaluationDatasetVersionId: v.evaluationDatasetVersionId,
    evaluationSplit: v.evaluationSplit,
  };
}

function toDto(modelName: string, a: AliasAuditEntity): AliasMoveDto {
  return {
    id: a.id,
    modelName,
    alias: a.alias,
    fromVersion: a.fromVersion,
    toVersion: a.toVersion,
    actor: a.actor,
    reason: a.reason,
    forced: a.forced,
    gate: a.gate,
    createdAt: a.createdAt.toISOString(),
  };
}

function pick(d: AliasMoveDto) {
  return {
    modelName: d.modelName,
    alias: d.alias,
    fromVersion: d.fromVersion,
    toVersion: d.toVersion,
    actor: d.actor,
    reason: d.reason,
    forced: d.forced,
  };
}
