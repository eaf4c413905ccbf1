import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-run provenance (issue 18, item 4). `run.nashub_version`: the nashub version whose trainer wrote a TRAINED run's
 * final values (null for imported runs and for runs trained before this column). `run_origin`: origins carried in from
 * an imported release (its manifest's `provenance.origins`, keyed by their content id), and `run.origin_id` for the
 * runs that release added, so a re-publish names where they first came from rather than the release file.
 */
export class RunProvenance1765065600000 implements MigrationInterface {
  name = 'RunProvenance1765065600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE run_origin (
        id     text PRIMARY KEY,
        origin jsonb NOT NULL
      );
      ALTER TABLE run ADD COLUMN nashub_version text;
      ALTER TABLE run ADD COLUMN origin_id text CONSTRAINT run_origin_id_fkey REFERENCES run_origin (id);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE run DROP COLUMN origin_id;
      ALTER TABLE run DROP COLUMN nashub_version;
      DROP TABLE run_origin;
    `);
  }
}
