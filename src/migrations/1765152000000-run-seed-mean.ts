import type { MigrationInterface, QueryRunner } from 'typeorm';

const VALUES = ['train_acc', 'valid_acc', 'test_acc', 'train_loss', 'valid_loss', 'test_loss', 'train_seconds'];

/** What a run write can change of its key's seed mean: the key, which runs count, and their values. */
const READ_COLUMNS = [
  'architecture_id',
  'dataset_id',
  'protocol_id',
  'seed',
  'seed_count',
  'source',
  'status',
  ...VALUES,
];

/** The row columns {@link AGGREGATE} gives, in its order. */
const ROW_COLUMNS = ['architecture_id', 'dataset_id', 'protocol_id', 'runs', 'seed_count', 'source', ...VALUES];

/**
 * The seed mean of each key of `k` over its COMPLETE runs `r` (left-joined: a key without one has `runs` 0): per value,
 * the mean over the seeded runs that measured it, summed in seed order, else the published mean (the run with no
 * seed); `seed_count` the seeded runs, else the published mean's count; `source` the runs' one source, or MIXED.
 */
const AGGREGATE = `SELECT k.architecture_id, k.dataset_id, k.protocol_id, count(r.id)::int,
         coalesce(nullif(count(*) FILTER (WHERE r.seed IS NOT NULL), 0), max(r.seed_count) FILTER (WHERE r.seed IS NULL))::int,
         CASE WHEN count(r.id) = 0 THEN NULL WHEN min(r.source) = max(r.source) THEN min(r.source) ELSE 'MIXED' END,
         ${VALUES.map((c) => `coalesce(avg(r.${c} ORDER BY r.seed) FILTER (WHERE r.seed IS NOT NULL), max(r.${c}) FILTER (WHERE r.seed IS NULL))`).join(',\n         ')}
    FROM k LEFT JOIN run r ON r.architecture_id = k.architecture_id AND r.dataset_id = k.dataset_id
                          AND r.protocol_id = k.protocol_id AND r.status = 'COMPLETE'
   GROUP BY k.dataset_id, k.protocol_id, k.architecture_id`;

/** Keys `k` from three parallel arrays. */
const keys = (a: string, d: string, p: string) =>
  `k AS (SELECT DISTINCT * FROM unnest(${a}, ${d}, ${p}) AS k(architecture_id, dataset_id, protocol_id))`;

/**
 * Issue 17: `run_seed_mean`, the seed mean of every (architecture, dataset, protocol), kept by triggers on `run` in the
 * transaction of each write (imports, `--replace`, release imports, trainer results, deletes, and any added later), as
 * the store generation is: no write path can forget it. Statement-level triggers with transition tables recompute the
 * keys a statement changed in one aggregation (an NB201 import's 47,000 keys in one statement, a trainer's finished
 * run one key); a write that changes no COMPLETE run's key, seed, count, source or values (a release import's origin
 * ids, a trainer's RUNNING run started or failed) recomputes nothing. The values are `avg(... ORDER BY seed)`: the
 * doubles the aggregation over `run` gives, and `record` computes in JavaScript.
 *
 * Concurrent writers of one key (two trainers finishing two seeds of a cell) must not lose each other's runs: a key's
 * row is inserted once (the second inserter waits for the first's commit, then finds it), then only updated, never
 * deleted (a key whose last COMPLETE run goes keeps its row with `runs` 0), and an update first locks the row and only
 * then, in a statement with a new snapshot, reads the runs: by then every earlier writer of the key has committed.
 */
export class RunSeedMean1765152000000 implements MigrationInterface {
  name = 'RunSeedMean1765152000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE run_seed_mean (
        dataset_id      integer NOT NULL,
        protocol_id     integer NOT NULL,
        architecture_id integer NOT NULL,
        runs            integer NOT NULL,
        seed_count      integer,
        source          text,
        ${VALUES.map((c) => `${c} double precision`).join(',\n        ')},
        PRIMARY KEY (dataset_id, protocol_id, architecture_id)
      )`);
    const set = ROW_COLUMNS.slice(3)
      .map((c) => `${c} = m.${c}`)
      .join(', ');
    await queryRunner.query(`
      CREATE FUNCTION refresh_run_seed_means(a integer[], d integer[], p integer[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE ia integer[]; id integer[]; ip integer[];
      BEGIN
        WITH ${keys('a', 'd', 'p')},
        added AS (
          INSERT INTO run_seed_mean (${ROW_COLUMNS.join(', ')}) ${AGGREGATE} ORDER BY 2, 3, 1
          ON CONFLICT DO NOTHING RETURNING architecture_id, dataset_id, protocol_id)
        SELECT array_agg(architecture_id), array_agg(dataset_id), array_agg(protocol_id) INTO ia, id, ip FROM added;
        SELECT array_agg(architecture_id), array_agg(dataset_id), array_agg(protocol_id) INTO a, d, p
          FROM (SELECT * FROM unnest(a, d, p) EXCEPT SELECT * FROM unnest(ia, id, ip))
            AS k(architecture_id, dataset_id, protocol_id);
        IF a IS NULL THEN RETURN; END IF;
        PERFORM 1 FROM run_seed_mean s
          JOIN unnest(a, d, p) AS k(architecture_id, dataset_id, protocol_id)
            ON s.architecture_id = k.architecture_id AND s.dataset_id = k.dataset_id AND s.protocol_id = k.protocol_id
         ORDER BY s.dataset_id, s.protocol_id, s.architecture_id FOR UPDATE OF s;
        WITH ${keys('a', 'd', 'p')}
        UPDATE run_seed_mean s SET ${set}
          FROM (${AGGREGATE}) AS m(${ROW_COLUMNS.join(', ')})
         WHERE s.architecture_id = m.architecture_id AND s.dataset_id = m.dataset_id AND s.protocol_id = m.protocol_id;
      END $$`);
    const keysOf = (rows: string, where: string) =>
      `SELECT array_agg(architecture_id), array_agg(dataset_id), array_agg(protocol_id) FROM ${rows} WHERE ${where}`;
    const differs = READ_COLUMNS.map((c) => `o.${c} IS DISTINCT FROM n.${c}`).join(' OR ');
    const changed = (side: string) =>
      `SELECT ${side}.architecture_id, ${side}.dataset_id, ${side}.protocol_id FROM old_runs o JOIN new_runs n ON n.id = o.id
        WHERE (o.status = 'COMPLETE' OR n.status = 'COMPLETE') AND (${differs})`;
    await queryRunner.query(`
      CREATE FUNCTION run_seed_mean_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE a integer[]; d integer[]; p integer[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${keysOf('new_runs', `status = 'COMPLETE'`)} INTO a, d, p;
        ELSIF TG_OP = 'DELETE' THEN
          ${keysOf('old_runs', `status = 'COMPLETE'`)} INTO a, d, p;
        ELSE
          ${keysOf(`(${changed('o')} UNION ${changed('n')}) k`, 'true')} INTO a, d, p;
        END IF;
        IF a IS NOT NULL THEN PERFORM refresh_run_seed_means(a, d, p); END IF;
        RETURN NULL; -- ignored for statement-level triggers
      END $$`);
    // One trigger per event: PostgreSQL allows transition tables only on single-event triggers.
    await queryRunner.query(`
      CREATE TRIGGER run_seed_mean_insert AFTER INSERT ON run REFERENCING NEW TABLE AS new_runs
        FOR EACH STATEMENT EXECUTE FUNCTION run_seed_mean_trigger();
      CREATE TRIGGER run_seed_mean_update AFTER UPDATE ON run REFERENCING OLD TABLE AS old_runs NEW TABLE AS new_runs
        FOR EACH STATEMENT EXECUTE FUNCTION run_seed_mean_trigger();
      CREATE TRIGGER run_seed_mean_delete AFTER DELETE ON run REFERENCING OLD TABLE AS old_runs
        FOR EACH STATEMENT EXECUTE FUNCTION run_seed_mean_trigger();
      CREATE FUNCTION run_seed_mean_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        TRUNCATE run_seed_mean;
        RETURN NULL;
      END $$;
      CREATE TRIGGER run_seed_mean_truncate AFTER TRUNCATE ON run
        FOR EACH STATEMENT EXECUTE FUNCTION run_seed_mean_truncate();
    `);
    await queryRunner.query(`
      SELECT refresh_run_seed_means(array_agg(architecture_id), array_agg(dataset_id), array_agg(protocol_id))
        FROM (SELECT DISTINCT architecture_id, dataset_id, protocol_id FROM run WHERE status = 'COMPLETE') k
      HAVING count(*) > 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TRIGGER run_seed_mean_truncate ON run;
      DROP TRIGGER run_seed_mean_delete ON run;
      DROP TRIGGER run_seed_mean_update ON run;
      DROP TRIGGER run_seed_mean_insert ON run;
      DROP FUNCTION run_seed_mean_truncate();
      DROP FUNCTION run_seed_mean_trigger();
      DROP FUNCTION refresh_run_seed_means(integer[], integer[], integer[]);
      DROP TABLE run_seed_mean;
    `);
  }
}
