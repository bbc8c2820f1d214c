import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Experiment tracking and model registry (schema `registry`). Parameters, tags and final metrics
 * are jsonb maps on the run: searches bind the user's key as a parameter (`params ->> $1`), so
 * names never reach SQL text. Per-epoch metrics get their own table (one row per key and step).
 */
export class RegistryTables1764100003000 implements MigrationInterface {
  name = 'RegistryTables1764100003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE registry.experiments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CONSTRAINT experiments_name_key UNIQUE,
        description text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        mlflow_experiment_id text
      )`);
    await q.query(`
      CREATE TABLE registry.runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        experiment_id uuid NOT NULL REFERENCES registry.experiments(id) ON DELETE RESTRICT,
        name text NOT NULL,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'finished', 'failed', 'killed')),
        params jsonb NOT NULL DEFAULT '{}',
        tags jsonb NOT NULL DEFAULT '{}',
        metrics jsonb NOT NULL DEFAULT '{}',
        dataset_version_id text,
        dataset_hash text,
        code_version text NOT NULL,
        backend text,
        started_by text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        error text,
        mirror_status text NOT NULL DEFAULT 'disabled' CHECK (mirror_status IN ('disabled', 'pending', 'synced', 'failed')),
        mirror_error text,
        mirror_attempts integer NOT NULL DEFAULT 0,
        mirror_requested_at timestamptz,
        mirror_synced_at timestamptz,
        mlflow_run_id text,
        final_metrics_mirrored boolean NOT NULL DEFAULT true
      )`);
    await q.query('CREATE INDEX runs_experiment_started_idx ON registry.runs (experiment_id, started_at DESC)');
    await q.query('CREATE INDEX runs_status_idx ON registry.runs (status)');
    await q.query('CREATE INDEX runs_params_idx ON registry.runs USING gin (params)');
    await q.query(`
      CREATE TABLE registry.run_metrics (
        run_id uuid NOT NULL REFERENCES registry.runs(id) ON DELETE CASCADE,
        key text NOT NULL,
        step integer NOT NULL,
        value double precision NOT NULL,
        logged_at timestamptz NOT NULL DEFAULT now(),
        mirrored boolean NOT NULL DEFAULT false,
        PRIMARY KEY (run_id, key, step)
      )`);
    await q.query('CREATE INDEX run_metrics_unmirrored_idx ON registry.run_metrics (run_id) WHERE NOT mirrored');
    await q.query(`
      CREATE TABLE registry.artifact_blobs (
        key text PRIMARY KEY,
        data bytea NOT NULL,
        sha256 text NOT NULL,
        size bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE registry.artifacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id uuid NOT NULL REFERENCES registry.runs(id) ON DELETE CASCADE,
        name text NOT NULL,
        store text NOT NULL,
        store_key text NOT NULL,
        sha256 text NOT NULL,
        size bigint NOT NULL,
        content_type text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        mirrored boolean NOT NULL DEFAULT false,
        CONSTRAINT artifacts_run_name_key UNIQUE (run_id, name)
      )`);
    await q.query(`
      CREATE TABLE registry.registered_models (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CONSTRAINT registered_models_name_key UNIQUE,
        description text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        mirror_status text NOT NULL DEFAULT 'disabled' CHECK (mirror_status IN ('disabled', 'pending', 'synced', 'failed')),
        mirror_error text
      )`);
    await q.query(`
      CREATE TABLE registry.model_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_id uuid NOT NULL REFERENCES registry.registered_models(id) ON DELETE CASCADE,
        version integer NOT NULL,
        run_id uuid NOT NULL REFERENCES registry.runs(id) ON DELETE RESTRICT,
        artifact_id uuid NOT NULL REFERENCES registry.artifacts(id) ON DELETE RESTRICT,
        metrics jsonb NOT NULL,
        dataset_version_id text,
        evaluation_dataset_version_id text,
        evaluation_split text,
        description text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        mlflow_version text,
        CONSTRAINT model_versions_model_version_key UNIQUE (model_id, version)
      )`);
    await q.query('CREATE INDEX model_versions_dataset_idx ON registry.model_versions (dataset_version_id)');
    await q.query(
      'CREATE INDEX model_versions_eval_dataset_idx ON registry.model_versions (evaluation_dataset_version_id)',
    );
    // RESTRICT: a version that holds an alias cannot disappear, even by a bug in the service.
    await q.query(`
      CREATE TABLE registry.model_aliases (
        model_id uuid NOT NULL REFERENCES registry.registered_models(id) ON DELETE CASCADE,
        alias text NOT NULL,
        version_id uuid NOT NULL REFERENCES registry.model_versions(id) ON DELETE RESTRICT,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL,
        PRIMARY KEY (model_id, alias)
      )`);
    await q.query(`
      CREATE TABLE registry.alias_audit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_id uuid NOT NULL REFERENCES registry.registered_models(id) ON DELETE CASCADE,
        alias text NOT NULL,
        from_version integer,
        to_version integer NOT NULL,
        actor text NOT NULL,
        reason text NOT NULL,
        forced boolean NOT NULL,
        gate jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      'CREATE INDEX alias_audit_model_alias_idx ON registry.alias_audit (model_id, alias, created_at DESC)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'alias_audit',
      'model_aliases',
      'model_versions',
      'registered_models',
      'artifacts',
      'artifact_blobs',
      'run_metrics',
      'runs',
      'experiments',
    ]) {
      await q.query(`DROP TABLE registry.${table}`);
    }
  }
}
