import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema: spaces, datasets, protocols, architectures, runs with per-epoch curves, API keys.
 * Curves are arrays per run (`run_curve`, index i = epoch i + 1), read as rows through the `run_epoch` view. Chosen by
 * `nashub bench curve-storage` (5,000 runs x 200 epochs): whole curves read 4-7x faster from arrays on PGlite and tie on
 * PostgreSQL, single-epoch lookups tie on both, and arrays take 1.6x less space.
 * Accuracies are percentages (0-100) as NAS-Bench-201 reports them; times are seconds; params/FLOPs are millions.
 */
export class InitialSchema1764288000000 implements MigrationInterface {
  name = 'InitialSchema1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE search_space (
        name        text PRIMARY KEY,
        title       text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE dataset (
        id           serial PRIMARY KEY,
        name         text NOT NULL UNIQUE,
        num_classes  integer CHECK (num_classes > 0),
        description  text NOT NULL DEFAULT ''
      );

      CREATE TABLE protocol (
        id               serial PRIMARY KEY,
        name             text NOT NULL UNIQUE,
        epochs           integer NOT NULL CHECK (epochs > 0),
        hyperparameters  jsonb NOT NULL DEFAULT '{}'::jsonb,
        description      text NOT NULL DEFAULT ''
      );

      CREATE TABLE architecture (
        id          serial PRIMARY KEY,
        space       text NOT NULL REFERENCES search_space (name),
        hash        text NOT NULL,
        arch        text NOT NULL,
        iso_class   text NOT NULL,
        encoding    jsonb,
        params_m    double precision,
        flops_m     double precision,
        created_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (space, hash)
      );
      CREATE INDEX architecture_iso_class_idx ON architecture (space, iso_class);

      -- External ids such as the official NB201 index (a table order, not a formula), keyed per scheme.
      CREATE TABLE architecture_external_id (
        scheme           text NOT NULL,
        external_id      text NOT NULL,
        architecture_id  integer NOT NULL REFERENCES architecture (id) ON DELETE CASCADE,
        PRIMARY KEY (scheme, external_id)
      );
      CREATE INDEX architecture_external_id_arch_idx ON architecture_external_id (architecture_id);

      -- One imported file (or release), by content: the same bytes with the same mapping import once.
      CREATE TABLE import_batch (
        id                   serial PRIMARY KEY,
        file_name            text NOT NULL,
        sha256               text NOT NULL,
        mapping              jsonb NOT NULL,
        mapping_sha256       text NOT NULL,
        space                text NOT NULL REFERENCES search_space (name),
        rows_read            integer NOT NULL,
        runs_added           integer NOT NULL,
        runs_updated         integer NOT NULL,
        epochs_added         integer NOT NULL,
        architectures_added  integer NOT NULL,
        replaced             boolean NOT NULL DEFAULT false,
        created_at           timestamptz NOT NULL DEFAULT now(),
        UNIQUE (sha256, mapping_sha256)
      );

      -- An immutable, versioned export; manifest.json as written.
      CREATE TABLE release (
        id              serial PRIMARY KEY,
        name            text NOT NULL,
        version         text NOT NULL,
        manifest        jsonb NOT NULL,
        content_sha256  text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (name, version)
      );

      CREATE TABLE run (
        id               serial PRIMARY KEY,
        architecture_id  integer NOT NULL REFERENCES architecture (id),
        dataset_id       integer NOT NULL REFERENCES dataset (id),
        protocol_id      integer NOT NULL REFERENCES protocol (id),
        -- NULL seed: a value published as a mean over seeds (seed_count of them, when known), e.g. NB201's summary.
        seed             integer,
        seed_count       integer CHECK (seed_count > 0),
        source           text NOT NULL CHECK (source IN ('IMPORTED', 'TRAINED')),
        status           text NOT NULL DEFAULT 'COMPLETE' CHECK (status IN ('RUNNING', 'COMPLETE', 'FAILED')),
        train_acc        double precision,
        valid_acc        double precision,
        test_acc         double precision,
        train_loss       double precision,
        valid_loss       double precision,
        test_loss        double precision,
        train_seconds    double precision CHECK (train_seconds >= 0),
        hardware         text,
        extra_metrics    jsonb NOT NULL DEFAULT '{}'::jsonb,
        import_batch_id  integer REFERENCES import_batch (id),
        created_at       timestamptz NOT NULL DEFAULT now(),
        CHECK (seed IS NULL OR seed_count IS NULL),
        CONSTRAINT run_key UNIQUE NULLS NOT DISTINCT (architecture_id, dataset_id, protocol_id, seed)
      );
      CREATE INDEX run_dataset_protocol_idx ON run (dataset_id, protocol_id);

      CREATE TABLE run_curve (
        run_id         integer PRIMARY KEY REFERENCES run (id) ON DELETE CASCADE,
        train_acc      double precision[],
        valid_acc      double precision[],
        test_acc       double precision[],
        train_loss     double precision[],
        valid_loss     double precision[],
        test_loss      double precision[],
        epoch_seconds  double precision[]
      );

      -- One row per (run, epoch) that has any value: for exports, checks and set-based merges.
      CREATE VIEW run_epoch AS
        SELECT c.run_id, e.epoch,
               c.train_acc[e.epoch] AS train_acc, c.valid_acc[e.epoch] AS valid_acc, c.test_acc[e.epoch] AS test_acc,
               c.train_loss[e.epoch] AS train_loss, c.valid_loss[e.epoch] AS valid_loss, c.test_loss[e.epoch] AS test_loss,
               c.epoch_seconds[e.epoch] AS epoch_seconds
          FROM run_curve c
         CROSS JOIN LATERAL generate_series(1, greatest(cardinality(c.train_acc), cardinality(c.valid_acc),
               cardinality(c.test_acc), cardinality(c.train_loss), cardinality(c.valid_loss), cardinality(c.test_loss),
               cardinality(c.epoch_seconds))) AS e(epoch)
         WHERE coalesce(c.train_acc[e.epoch], c.valid_acc[e.epoch], c.test_acc[e.epoch], c.train_loss[e.epoch],
               c.valid_loss[e.epoch], c.test_loss[e.epoch], c.epoch_seconds[e.epoch]) IS NOT NULL;

      CREATE TABLE api_key (
        id          serial PRIMARY KEY,
        name        text NOT NULL UNIQUE,
        key_hash    text NOT NULL UNIQUE,
        role        text NOT NULL CHECK (role IN ('publisher', 'trainer', 'admin')),
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE api_key;
      DROP VIEW run_epoch;
      DROP TABLE run_curve;
      DROP TABLE run;
      DROP TABLE release;
      DROP TABLE import_batch;
      DROP TABLE architecture_external_id;
      DROP TABLE architecture;
      DROP TABLE protocol;
      DROP TABLE dataset;
      DROP TABLE search_space;
    `);
  }
}
