import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search runs as a shared, durable object (issue 15): `search_run` (what is searched, how, and its status),
 * `search_trial` (each evaluation handed out, its lease and its result) and `search_event` (the ordered log of asks
 * and tells a strategy is rebuilt from).
 */
export class SearchRuns1764806400000 implements MigrationInterface {
  name = 'SearchRuns1764806400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE search_run (
        id                  serial PRIMARY KEY,
        space               text NOT NULL,
        dataset_id          integer NOT NULL,
        preset              text,
        fidelities          jsonb NOT NULL,
        observe             integer NOT NULL,
        final_protocol      text NOT NULL,
        final_metric        text NOT NULL,
        strategy            text NOT NULL,
        strategy_options    jsonb NOT NULL,
        seed                bigint NOT NULL,
        mode                text NOT NULL,
        status              text NOT NULL DEFAULT 'RUNNING',
        budget_seconds      double precision,
        budget_evaluations  integer,
        lease_seconds       double precision NOT NULL,
        version             integer NOT NULL DEFAULT 0,
        asking              boolean NOT NULL DEFAULT true,
        created_by          text,
        created_at          timestamptz NOT NULL DEFAULT now(),
        finished_at         timestamptz,
        CONSTRAINT search_run_space_fkey FOREIGN KEY (space) REFERENCES search_space (name),
        CONSTRAINT search_run_dataset_id_fkey FOREIGN KEY (dataset_id) REFERENCES dataset (id),
        CONSTRAINT search_run_mode_check CHECK (mode IN ('TABLE', 'EXTERNAL', 'TRAINING')),
        CONSTRAINT search_run_status_check CHECK (status IN ('RUNNING', 'FINISHED', 'STOPPED')),
        CONSTRAINT search_run_budget_check CHECK (budget_seconds > 0 OR budget_evaluations > 0),
        CONSTRAINT search_run_lease_seconds_check CHECK (lease_seconds > 0)
      );
      CREATE INDEX search_run_created_idx ON search_run (created_at DESC, id DESC);

      CREATE TABLE search_trial (
        id                serial PRIMARY KEY,
        run_id            integer NOT NULL,
        number            integer NOT NULL,
        arch_id           text NOT NULL,
        arch              text NOT NULL,
        fidelity          integer NOT NULL,
        state             text NOT NULL,
        value             double precision,
        cost              double precision,
        curve             jsonb,
        simulated_value   double precision,
        simulated_cost    double precision,
        worker            text,
        lease_expires_at  timestamptz,
        ask_seq           integer,
        retry_of          integer,
        told_index        integer,
        told_seconds      double precision,
        answer_arch       text,
        reason            text,
        asked_at          timestamptz NOT NULL DEFAULT now(),
        told_at           timestamptz,
        CONSTRAINT search_trial_run_id_fkey FOREIGN KEY (run_id) REFERENCES search_run (id),
        CONSTRAINT search_trial_retry_of_fkey FOREIGN KEY (retry_of) REFERENCES search_trial (id),
        CONSTRAINT search_trial_run_number_key UNIQUE (run_id, number),
        CONSTRAINT search_trial_state_check CHECK (state IN ('ASKED', 'RUNNING', 'TOLD', 'FAILED', 'EXPIRED')),
        CONSTRAINT search_trial_cost_check CHECK (cost >= 0)
      );
      CREATE INDEX search_trial_run_state_idx ON search_trial (run_id, state);

      CREATE TABLE search_event (
        run_id    integer NOT NULL,
        seq       integer NOT NULL,
        kind      text NOT NULL,
        n         integer,
        trial_id  integer,
        PRIMARY KEY (run_id, seq),
        CONSTRAINT search_event_run_id_fkey FOREIGN KEY (run_id) REFERENCES search_run (id),
        CONSTRAINT search_event_trial_id_fkey FOREIGN KEY (trial_id) REFERENCES search_trial (id),
        CONSTRAINT search_event_kind_check CHECK (kind IN ('ASK', 'TELL'))
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE search_event;
      DROP TABLE search_trial;
      DROP TABLE search_run;
    `);
  }
}
