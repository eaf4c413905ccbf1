import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Predictors and training jobs.
 * - `predictor`: one fitted surrogate or learning-curve extrapolator version with its weights (bytea), held-out
 *   metrics and lifecycle (`TRAINING → READY | FAILED`, `READY → STALE` when new runs arrive for its target).
 * - `prediction`: a predictor version's predictions, keyed by architecture hash so that enumerable spaces can be
 *   ranked whole (`top(source: PREDICTED)`) without an architecture row per cell.
 * - `training_job`: a request to train (architecture, dataset, protocol, seed). Its id is the pg-boss job id; pg-boss
 *   owns claiming, leases and retries, this row owns what users see (status, epochs done, checkpoint, the run).
 *   At most one QUEUED/RUNNING job per key. The run it trains is written epoch by epoch (`run.status = RUNNING`).
 * - Runs may end `STOPPED_EARLY` (the trainer's learning-curve early stopping).
 */
export class PredictorsAndJobs1764374400000 implements MigrationInterface {
  name = 'PredictorsAndJobs1764374400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE run DROP CONSTRAINT run_status_check;
      ALTER TABLE run ADD CONSTRAINT run_status_check CHECK (status IN ('RUNNING', 'COMPLETE', 'FAILED', 'STOPPED_EARLY'));

      CREATE TABLE predictor (
        id                serial PRIMARY KEY,
        space             text NOT NULL REFERENCES search_space (name),
        dataset_id        integer NOT NULL REFERENCES dataset (id),
        protocol_id       integer NOT NULL REFERENCES protocol (id),
        metric            text NOT NULL,
        -- NULL: the protocol's last epoch.
        epoch             integer CHECK (epoch > 0),
        kind              text NOT NULL,
        hyperparameters   jsonb NOT NULL DEFAULT '{}'::jsonb,
        seed              integer NOT NULL,
        train_size        integer CHECK (train_size >= 0),
        train_set_sha256  text,
        skipped_targets   integer NOT NULL DEFAULT 0,
        weights           bytea,
        -- Held-out metrics: kendallTau, spearman, mae, stdErrorSpearman, coverage90, heldOut.
        metrics           jsonb,
        status            text NOT NULL CHECK (status IN ('TRAINING', 'READY', 'FAILED', 'STALE')),
        progress          double precision NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
        error             text,
        job_id            uuid,
        nashub_version    text NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now(),
        finished_at       timestamptz,
        CHECK (status <> 'READY' OR weights IS NOT NULL)
      );
      CREATE INDEX predictor_target_idx ON predictor (space, dataset_id, protocol_id, status);

      CREATE TABLE prediction (
        predictor_id  integer NOT NULL REFERENCES predictor (id) ON DELETE CASCADE,
        hash          text NOT NULL,
        arch          text NOT NULL,
        mean          double precision NOT NULL,
        std           double precision NOT NULL,
        PRIMARY KEY (predictor_id, hash)
      );
      CREATE INDEX prediction_rank_idx ON prediction (predictor_id, mean DESC);

      CREATE TABLE training_job (
        id               uuid PRIMARY KEY,
        architecture_id  integer NOT NULL REFERENCES architecture (id),
        dataset_id       integer NOT NULL REFERENCES dataset (id),
        protocol_id      integer NOT NULL REFERENCES protocol (id),
        seed             integer NOT NULL,
        priority         integer NOT NULL DEFAULT 0,
        status           text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'STOPPED_EARLY', 'FAILED', 'CANCELLED')),
        run_id           integer REFERENCES run (id),
        epochs_done      integer NOT NULL DEFAULT 0 CHECK (epochs_done >= 0),
        total_epochs     integer NOT NULL CHECK (total_epochs > 0),
        checkpoint       bytea,
        attempts         integer NOT NULL DEFAULT 0,
        backend          text,
        device           text,
        worker           text,
        error            text,
        requested_by     text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        started_at       timestamptz,
        updated_at       timestamptz NOT NULL DEFAULT now(),
        finished_at      timestamptz,
        CHECK (epochs_done <= total_epochs)
      );
      CREATE UNIQUE INDEX training_job_pending_key ON training_job (architecture_id, dataset_id, protocol_id, seed)
        WHERE status IN ('QUEUED', 'RUNNING');
      CREATE INDEX training_job_created_idx ON training_job (created_at DESC, id DESC);

      INSERT INTO dataset (name, num_classes, description)
        VALUES ('fashion-mnist', 10, 'Fashion-MNIST (28x28 grey, 10 classes), trained by nashub trainer')
        ON CONFLICT (name) DO NOTHING;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE training_job;
      DROP TABLE prediction;
      DROP TABLE predictor;
      DELETE FROM dataset d WHERE d.name = 'fashion-mnist' AND NOT EXISTS (SELECT 1 FROM run r WHERE r.dataset_id = d.id);
      UPDATE run SET status = 'FAILED' WHERE status = 'STOPPED_EARLY';
      ALTER TABLE run DROP CONSTRAINT run_status_check;
      ALTER TABLE run ADD CONSTRAINT run_status_check CHECK (status IN ('RUNNING', 'COMPLETE', 'FAILED'));
    `);
  }
}
