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
 * The store generation (issue 17): a one-row table bumped once per committed transaction that wrote a table public
 * reads read, with a NOTIFY of the new value (delivered at commit, and not at all on rollback). Triggers, not calls in
 * each write path, so no write path (imports, trainer epochs, fits, STALE marks, catalog writes, and those added later)
 * can forget it.
 *
 * The bump happens at commit, not at the write: a statement-level trigger on each covered table records, once per
 * transaction, a row in `store_generation_touch` (no shared row is locked), and that row's deferred constraint trigger
 * bumps the generation while the transaction commits. The generation's row lock is so held only from that trigger to
 * the end of the commit: writers of the covered tables never wait for each other's whole transactions (an import no
 * longer holds every trainer's epoch write for its duration), and as every writer takes that lock last, after all its
 * other locks, it cannot take part in a deadlock. A savepoint rolled back takes its touch (and the flag) with it.
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
    await queryRunner.query(`CREATE TABLE store_generation_touch (txid bigint NOT NULL, PRIMARY KEY (txid))`);
    await queryRunner.query(`
      CREATE FUNCTION touch_store_generation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_setting('nashub.store_generation_touched', true) IS DISTINCT FROM 'on' THEN
          PERFORM set_config('nashub.store_generation_touched', 'on', true);
          INSERT INTO store_generation_touch (txid) VALUES (txid_current());
        END IF;
        RETURN NULL; -- ignored for statement-level triggers
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION bump_store_generation() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE next bigint;
      BEGIN
        UPDATE store_generation SET generation = generation + 1 WHERE id = 1 RETURNING generation INTO next;
        PERFORM pg_notify('nashub_store_generation', next::text);
        DELETE FROM store_generation_touch WHERE txid = NEW.txid;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE CONSTRAINT TRIGGER store_generation_touch_commit AFTER INSERT ON store_generation_touch
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_store_generation()`,
    );
    for (const table of TABLES) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_store_generation BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
           FOR EACH STATEMENT EXECUTE FUNCTION touch_store_generation()`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.query(`DROP TRIGGER ${table}_store_generation ON ${table}`);
    await queryRunner.query('DROP TABLE store_generation_touch');
    await queryRunner.query('DROP FUNCTION touch_store_generation()');
    await queryRunner.query('DROP FUNCTION bump_store_generation()');
    await queryRunner.query('DROP TABLE store_generation');
  }
}
