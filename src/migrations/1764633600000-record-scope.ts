import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `record_scope`: which protocols have records (COMPLETE runs) for which (space, dataset), so that a dataset's default
 * protocol is its full-budget protocol among those, not among every protocol stored (issue 16, defect 2: creating
 * `imagenet-e300` made every cifar10 read without a protocol answer nothing). Statement-level triggers on `run` keep it
 * in the transaction of every write of runs (import, training finish, release import), so no write path can forget
 * it; they read the statement's transition table once, so a bulk import pays one join, not one per row. Runs are never
 * deleted and a COMPLETE run never changes status, so the table only grows. The migration backfills it from `run`.
 */
export class RecordScope1764633600000 implements MigrationInterface {
  name = 'RecordScope1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE record_scope (
        space        text NOT NULL REFERENCES search_space (name),
        dataset_id   integer NOT NULL REFERENCES dataset (id),
        protocol_id  integer NOT NULL REFERENCES protocol (id),
        PRIMARY KEY (space, dataset_id, protocol_id)
      );

      CREATE FUNCTION record_scope_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO record_scope (space, dataset_id, protocol_id)
          SELECT DISTINCT a.space, n.dataset_id, n.protocol_id
            FROM new_runs n JOIN architecture a ON a.id = n.architecture_id
           WHERE n.status = 'COMPLETE'
          ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$;

      -- Two triggers: PostgreSQL allows a transition table only on a trigger of one event.
      CREATE TRIGGER run_insert_scope AFTER INSERT ON run REFERENCING NEW TABLE AS new_runs
        FOR EACH STATEMENT EXECUTE FUNCTION record_scope_add();
      CREATE TRIGGER run_update_scope AFTER UPDATE ON run REFERENCING NEW TABLE AS new_runs
        FOR EACH STATEMENT EXECUTE FUNCTION record_scope_add();

      INSERT INTO record_scope (space, dataset_id, protocol_id)
        SELECT DISTINCT a.space, r.dataset_id, r.protocol_id
          FROM run r JOIN architecture a ON a.id = r.architecture_id
         WHERE r.status = 'COMPLETE';
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TRIGGER run_update_scope ON run;
      DROP TRIGGER run_insert_scope ON run;
      DROP FUNCTION record_scope_add();
      DROP TABLE record_scope;
    `);
  }
}
