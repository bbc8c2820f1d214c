import { AliasAuditEntity } from './entities/alias-audit.entity';
import { ArtifactBlobEntity } from './entities/artifact-blob.entity';
import { ArtifactEntity } from './entities/artifact.entity';
import { ExperimentEntity } from './entities/experiment.entity';
import { ModelAliasEntity } from './entities/model-alias.entity';
import { ModelVersionEntity } from './entities/model-version.entity';
import { RegisteredModelEntity } from './entities/registered-model.entity';
import { RunMetricEntity } from './entities/run-metric.entity';
import { RunEntity } from './entities/run.entity';

export const REGISTRY_ENTITIES = [
  ExperimentEntity,
  RunEntity,
  RunMetricEntity,
  ArtifactEntity,
  ArtifactBlobEntity,
  RegisteredModelEntity,
  ModelVersionEntity,
  ModelAliasEntity,
  AliasAuditEntity,
];
