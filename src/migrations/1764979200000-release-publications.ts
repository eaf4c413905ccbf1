import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Queued release publications (issue 18): `publishRelease` over GraphQL inserts a row and a pg-boss job in one
 * transaction; the server's publish worker writes the release and keeps status, progress and error here.
 */
export class ReleasePublications1764979200000 implements MigrationInterface {
  name = 'ReleasePublications1764979200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE release_publication (
        id            uuid PRIMARY KEY,
        name          text NOT NULL,
        version       text NOT NULL,
        filters       jsonb NOT NULL,
        status        text NOT NULL DEFAULT 'QUEUED',
        progress      double precision NOT NULL DEFAULT 0,
        error         jsonb,
        created_at    timestamptz NOT NULL DEFAULT now(),
        finished_at   timestamptz,
        CONSTRAINT release_publication_status_check CHECK (status IN ('QUEUED', 'RUNNING', 'PUBLISHED', 'FAILED')),
        CONSTRAINT release_publication_progress_check CHECK (progress >= 0 AND progress <= 1)
      )
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE release_publication');
  }
}
