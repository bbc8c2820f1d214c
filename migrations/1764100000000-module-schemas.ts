import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One PostgreSQL schema per module (docs/architecture.md, "Storage"): each module owns its tables. */
const SCHEMAS = ['auth', 'data', 'training', 'registry', 'inference', 'monitoring'];

export class ModuleSchemas1764100000000 implements MigrationInterface {
  name = 'ModuleSchemas1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS pgcrypto');
    for (const schema of SCHEMAS) await q.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const schema of [...SCHEMAS].reverse()) await q.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}
