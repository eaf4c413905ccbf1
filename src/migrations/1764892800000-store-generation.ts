import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables whose writes bump the generation: everything a cacheable (public, query) read reads. */
const TABLES = [
  'search_space',
  'dataset',
  'protocol',
  'record_scope',
  'architecture',
  'architecture_external_id',
  'run',
  'run_curve',
  'predictor',
  'prediction',
];

/**
 * The store generation (issue 17): a one-row table that a statement-level trigger bumps, in the writing transaction,
 * before every statement that writes a table public reads read, with a NOTIFY of the new value (delivered at commit,
 * and not at all on rollback). Triggers, not calls in each write path, so no write path (imports, trainer epochs,
 * fits, STALE marks, catalog writes, and those added later) can forget it. The row lock serialises writers of these
 * tables from their first write to commit; the search service's tables and the job queue are not among them.
 * BEFORE the statement, so a writer takes the generation's lock before the rows it writes: two writers then wait on
 * it in turn instead of each holding rows the other needs (only a row locked by SELECT ... FOR UPDATE before the first
 * write can still deadlock against a writer that wants it).
 */
export class StoreGeneration1764892800000 implements MigrationInterface {
  name = 'StoreGeneration1764892800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE store_generation (
        id         smallint NOT NULL DEFAULT 1,
        generation bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (id),
        CONSTRAINT store_generation_id_check CHECK (id = 1)
      )`);
    await queryRunner.query(`INSERT INTO store_generation (id, generation) VALUES (1, 0)`);
    await queryRunner.query(`
      CREATE FUNCTION bump_store_generation() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE next bigint;
      BEGIN
        UPDATE store_generation SET generation = generation + 1 WHERE id = 1 RETURNING generation INTO next;
        PERFORM pg_notify('nashub_store_generation', next::text);
        RETURN NULL; -- ignored for statement-level triggers
      END $$`);
    for (const table of TABLES) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_store_generation BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
           FOR EACH STATEMENT EXECUTE FUNCTION bump_store_generation()`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.query(`DROP TRIGGER ${table}_store_generation ON ${table}`);
    await queryRunner.query('DROP FUNCTION bump_store_generation()');
    await queryRunner.query('DROP TABLE store_generation');
  }
}
