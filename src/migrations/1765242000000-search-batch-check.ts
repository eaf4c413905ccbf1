import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `nashub_check(ok, message)`: true when `ok`, else an error with `message`, which aborts the statement and its
 * transaction. A search run's batch sends its last writes and its COMMIT in one round trip
 * (store/search/search-run-writes.ts), so what the writes must agree with (the run's version where the batch's log
 * starts, one row per tell) is checked inside the statement, before the COMMIT can run. VOLATILE, so the planner never
 * folds it away.
 */
export class SearchBatchCheck1765242000000 implements MigrationInterface {
  name = 'SearchBatchCheck1765242000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION nashub_check(ok boolean, message text) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        IF ok IS NOT TRUE THEN
          RAISE EXCEPTION '%', message USING ERRCODE = 'P0001';
        END IF;
        RETURN true;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION nashub_check(boolean, text)`);
  }
}
