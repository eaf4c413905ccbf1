import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops columns nothing reads or writes (issue 13, "remove what nothing reads"): `architecture.encoding` (encodings
 * are computed from the canonical text by each space's `encode`, never stored) and `run.extra_metrics` (no import
 * mapping, release, resolver or trainer ever filled it; every stored value is the default `{}`).
 */
export class DropUnreadColumns1764720000000 implements MigrationInterface {
  name = 'DropUnreadColumns1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE architecture DROP COLUMN encoding;
      ALTER TABLE run DROP COLUMN extra_metrics;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE architecture ADD COLUMN encoding jsonb;
      ALTER TABLE run ADD COLUMN extra_metrics jsonb NOT NULL DEFAULT '{}'::jsonb;
    `);
  }
}
