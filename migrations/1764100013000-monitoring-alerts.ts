import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #20 (alerts and retraining): alert rules and the names of the default rules already
 * seeded (so an admin's deletion of one sticks), alerts (one row per episode: pending, firing,
 * resolved, with its evidence), admin-managed webhook targets, the replicas' per-minute counters
 * that alerts read cluster-wide (prediction outcomes, log drops), and the monitoring results as
 * time series (one row per model, version, window, column and statistic), which the drift and
 * quality jobs write and the alert rules read. docs/architecture.md, "Storage" and "Alerts".
 */
export class MonitoringAlerts1764100013000 implements MigrationInterface {
  name = 'MonitoringAlerts1764100013000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE monitoring.alert_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('drift_verdict', 'data_quality_rate', 'estimated_quality_floor',
          'realised_quality_floor', 'error_rate', 'latency_p99', 'log_drops', 'training_failures')),
        model text,
        params jsonb NOT NULL DEFAULT '{}',
        severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        window_seconds integer NOT NULL CHECK (window_seconds > 0),
        for_seconds integer NOT NULL CHECK (for_seconds >= 0),
        retrain boolean NOT NULL DEFAULT false,
        enabled boolean NOT NULL DEFAULT true,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      'CREATE TABLE monitoring.alert_rule_seeds (name text PRIMARY KEY, seeded_at timestamptz NOT NULL DEFAULT now())',
    );
    await q.query(`
      CREATE TABLE monitoring.alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        rule_id uuid REFERENCES monitoring.alert_rules (id) ON DELETE SET NULL,
        rule_name text NOT NULL,
        kind text NOT NULL,
        severity text NOT NULL,
        model text,
        subject text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
        value double precision,
        threshold double precision,
        evidence jsonb NOT NULL,
        retrain_job_id uuid,
        pending_since timestamptz NOT NULL,
        fired_at timestamptz,
        resolved_at timestamptz,
        notified_firing boolean NOT NULL DEFAULT false,
        notified_resolved boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One open episode per rule and subject: the evaluation's state machine key.
    await q.query(
      `CREATE UNIQUE INDEX alerts_open_idx ON monitoring.alerts (rule_id, subject) WHERE state IN ('pending', 'firing')`,
    );
    await q.query('CREATE INDEX alerts_updated_at_idx ON monitoring.alerts (updated_at)');
    await q.query(`
      CREATE TABLE monitoring.alert_webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        url text NOT NULL,
        format text NOT NULL CHECK (format IN ('json', 'slack', 'teams')),
        secret text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE monitoring.replica_counts (
        minute timestamptz NOT NULL,
        replica text NOT NULL,
        counter text NOT NULL,
        model text NOT NULL DEFAULT '',
        value bigint NOT NULL,
        CONSTRAINT replica_counts_pkey PRIMARY KEY (counter, minute, model, replica)
      )`);
    await q.query(`
      CREATE TABLE monitoring.results (
        model text NOT NULL,
        version integer NOT NULL,
        window_end timestamptz NOT NULL,
        column_name text NOT NULL,
        statistic text NOT NULL,
        window_start timestamptz NOT NULL,
        value double precision,
        verdict text,
        details jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT results_pkey PRIMARY KEY (model, statistic, window_end, version, column_name, window_start),
        CONSTRAINT results_window_check CHECK (window_start < window_end)
      )`);
    await q.query('CREATE INDEX results_window_end_idx ON monitoring.results (window_end)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['results', 'replica_counts', 'alert_webhooks', 'alerts', 'alert_rule_seeds', 'alert_rules'])
      await q.query(`DROP TABLE monitoring.${table}`);
  }
}
