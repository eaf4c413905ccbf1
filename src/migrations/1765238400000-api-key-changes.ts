import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A NOTIFY on `nashub_api_key` from every statement that changes or removes API keys (a revocation, a role change,
 * a delete, a TRUNCATE), delivered at commit: the API servers keep the keys they have checked and drop them all when it
 * comes (server/auth/api-key-cache.ts), so a revoked key is refused without a lookup per request. A trigger, not a call
 * in the revoke path, so no way of changing a key (the CLI, SQL by hand) can forget it. Adding a key needs no NOTIFY:
 * unknown keys are never kept.
 */
export class ApiKeyChanges1765238400000 implements MigrationInterface {
  name = 'ApiKeyChanges1765238400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_api_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('nashub_api_key', '');
        RETURN NULL; -- ignored for statement-level triggers
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER api_key_change AFTER UPDATE OR DELETE OR TRUNCATE ON api_key
        FOR EACH STATEMENT EXECUTE FUNCTION notify_api_key_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER api_key_change ON api_key`);
    await queryRunner.query(`DROP FUNCTION notify_api_key_change()`);
  }
}
