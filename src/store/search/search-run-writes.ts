import type { EntityManager, QueryRunner } from 'typeorm';
import { SearchTrialEntity } from '../entity/search-trial.entity';
import { entityColumns } from '../entity-columns';
import { hydrate } from '../hydrate';
import { runScript, sessionOf } from '../run-script';
import { sqlLiteral, type LiteralValue } from '../sql-literal';
import { SEARCH_EVENT_CHANNEL } from './search-run-event';
import type { NewSearchTrial } from './search-run-store';
import { SearchEventKind } from './search-run-vocabulary';

/** The name a session's batch writes are PREPAREd under (see {@link SearchRunWrites.commit}). */
const WRITES_STATEMENT = 'nashub_search_run_writes';

/** The text of the batch writes each session prepared, by session. */
const preparedWrites = new WeakMap<object, string>();

/** Trials queued by {@link SearchRunWrites.insertTrials}: their rows once the writes are flushed. */
export class QueuedTrials {
  private written: SearchTrialEntity[] | null = null;

  constructor(readonly count: number) {}

  /** The inserted rows, in trial order; only after the flush. */
  get rows(): SearchTrialEntity[] {
    if (this.written === null) throw new Error('queued search trials are read before their writes were flushed');
    return this.written;
  }

  /** @internal Filled by the flush. */
  settle(rows: SearchTrialEntity[]): void {
    this.written = rows;
  }
}

/** A result told to a trial, as {@link SearchRunWrites.tellTrial} queues it. */
export interface QueuedTell {
  trialId: number;
  /** The TELL's place in the run's log. */
  seq: number;
  value: number;
  cost: number | null;
  curve: readonly number[] | null;
  answerArch: string | null;
  /** 1, 2, 3, … : its place in the run's tell order. */
  toldIndex: number;
  /** The run's told cost including this trial's. */
  toldSeconds: number;
}

interface QueuedInsert extends NewSearchTrial {
  worker: string;
  leaseSeconds: number;
}

/**
 * The trials and log entries a batch of a run's operations writes, kept in memory and written in one statement
 * ({@link flush}): inserted trials (each NOTIFYed as ASKED), told trials (each NOTIFYed as TOLD), the ASK and TELL
 * events of the log, and the run's version moved past them. A batch serves several asks and tells under one lock;
 * written one statement each, every operation would add a round trip to the lock's critical section. The caller holds
 * the run's lock and gives each event its seq (the run's version, which it moves in memory); a flush checks the stored
 * version agrees.
 */
export class SearchRunWrites {
  private inserts: QueuedInsert[] = [];
  private queued: QueuedTrials[] = [];
  private tells: QueuedTell[] = [];
  private asks: Array<{ seq: number; n: number }> = [];
  private toldRows = new Map<number, SearchTrialEntity>();
  /** Every trial the flushes inserted, as written. */
  readonly insertedRows: SearchTrialEntity[] = [];

  /** Whether nothing is queued. */
  get empty(): boolean {
    return this.inserts.length === 0 && this.tells.length === 0 && this.asks.length === 0;
  }

  /** Queues ASKED trials leased to `worker` for `leaseSeconds`, numbered after the run's last in queue order. */
  insertTrials(worker: string, leaseSeconds: number, trials: readonly NewSearchTrial[]): QueuedTrials {
    const queued = new QueuedTrials(trials.length);
    this.inserts.push(...trials.map((t) => ({ ...t, worker, leaseSeconds })));
    this.queued.push(queued);
    return queued;
  }

  /** Queues the ASK event at `seq` (what was asked for: `n`). */
  logAsk(seq: number, n: number): void {
    this.asks.push({ seq, n });
  }

  /** Queues a trial's result and its TELL event. */
  tellTrial(tell: QueuedTell): void {
    this.tells.push(tell);
  }

  /** A told trial's row once the writes are flushed. */
  toldRow(trialId: number): SearchTrialEntity {
    const row = this.toldRows.get(trialId);
    if (!row) throw new Error(`told search trial ${trialId} is read before its writes were flushed`);
    return row;
  }

  /**
   * Writes everything queued in one statement, then answers the queued trials' and told trials' rows. With `touch`
   * (a batch's last flush) it writes the run's row even when nothing is queued, and answers the stamp of the row's new
   * version: every batch moves the row on, so the next batch knows whether anyone else changed the run meanwhile.
   */
  async flush(manager: EntityManager, runId: number, options: { touch?: boolean } = {}): Promise<string | null> {
    if (this.empty && !options.touch) return null;
    const params: unknown[] = [];
    const { text, settle } = this.take(manager, runId, (value) => {
      params.push(value);
      return `$${params.length}`;
    });
    return settle((await manager.query(text, params)) as Array<Record<string, unknown>>);
  }

  /**
   * A batch's last flush and its COMMIT in one round trip (the statement's values written as literals: several
   * commands cannot take parameters). The statement checks what it wrote before the COMMIT runs (the run's version
   * where the batch's log starts, one row per tell), so a batch that fails a check commits nothing. Answers the stamp.
   * `before`: commands sent first in the same round trip (BEGIN and the run's lock, when the batch has not taken it
   * yet), whose answers are skipped.
   */
  async commit(runner: QueryRunner, runId: number, before = ''): Promise<string> {
    const params: LiteralValue[] = [];
    const { text, settle } = this.take(runner.manager, runId, (value) => {
      params.push(value);
      return `$${params.length}`;
    });
    // The statement's text is the same for every batch (its values are parameters), so each session plans it once:
    // PREPAREd there the first time (first in the script, so it runs whatever fails after it; prepared statements
    // outlive a rollback), then EXECUTEd with the values as literals. Planned anew each time, it cost PostgreSQL more
    // than running it (1.6-1.9 ms against ~1 ms on the development machine).
    const session = sessionOf(await runner.connect());
    const prepared = preparedWrites.get(session);
    if (prepared !== undefined && prepared !== text)
      throw new Error("search run writes: the statement's text differs from the one this session prepared");
    const prepare = prepared === undefined ? `PREPARE ${WRITES_STATEMENT} AS ${text};\n` : '';
    preparedWrites.set(session, text);
    const execute = `EXECUTE ${WRITES_STATEMENT}(${params.map(sqlLiteral).join(', ')})`;
    const results = await runScript(runner, `${prepare}${before}${execute};\nCOMMIT`);
    return settle(results[results.length - 2])!;
  }

  /**
   * Takes everything queued: the statement that writes it (each value written by `value`, a `$n` or a literal) and
   * how to read its rows.
   */
  private take(
    manager: EntityManager,
    runId: number,
    value: (v: LiteralValue) => string,
  ): { text: string; settle(rows: Array<Record<string, unknown>>): string | null } {
    const { inserts, queued, tells, asks } = this;
    this.inserts = [];
    this.queued = [];
    this.tells = [];
    this.asks = [];
    const events = [
      ...asks.map((a) => ({ seq: a.seq, kind: SearchEventKind.ASK, n: a.n, trialId: null as number | null })),
      ...tells.map((t) => ({ seq: t.seq, kind: SearchEventKind.TELL, n: null as number | null, trialId: t.trialId })),
    ].sort((a, b) => a.seq - b.seq);
    const columns = entityColumns(manager, SearchTrialEntity);
    const run = value(runId);
    const channel = value(SEARCH_EVENT_CHANNEL);
    const firstSeq = events.length > 0 ? events[0].seq : null;
    const text = `WITH bumped AS (
         UPDATE search_run SET version = version + ${value(events.length)}::int WHERE id = ${run}::int
         RETURNING version - ${value(events.length)}::int AS from_seq, xmin::text AS stamp
       ), logged AS (
         INSERT INTO search_event (run_id, seq, kind, n, trial_id)
         SELECT ${run}::int, e.seq, e.kind, e.n, e.trial_id
           FROM unnest(${value(events.map((e) => e.seq))}::int[], ${value(events.map((e) => e.kind))}::text[],
                       ${value(events.map((e) => e.n))}::int[], ${value(events.map((e) => e.trialId))}::int[])
                  AS e(seq, kind, n, trial_id)
       ), told AS (
         UPDATE search_trial t
            SET state = 'TOLD', value = u.value, cost = u.cost, curve = u.curve, answer_arch = u.answer_arch,
                told_at = clock_timestamp(), told_index = u.told_index, told_seconds = u.told_seconds, lease_expires_at = NULL
           FROM unnest(${value(tells.map((t) => t.trialId))}::int[], ${value(tells.map((t) => t.value))}::float8[],
                       ${value(tells.map((t) => t.cost))}::float8[],
                       ${value(tells.map((t) => (t.curve === null ? null : JSON.stringify(t.curve))))}::jsonb[],
                       ${value(tells.map((t) => t.answerArch))}::text[], ${value(tells.map((t) => t.toldIndex))}::int[],
                       ${value(tells.map((t) => t.toldSeconds))}::float8[])
                  AS u(id, value, cost, curve, answer_arch, told_index, told_seconds)
          WHERE t.id = u.id AND t.run_id = ${run}::int
         RETURNING ${entityColumns(manager, SearchTrialEntity, 't')},
                   pg_notify(${channel}::text, json_build_object('runId', t.run_id, 'kind', 'TOLD', 'trialId', t.id)::text)
       ), inserted AS (
         INSERT INTO search_trial (run_id, number, arch_id, arch, fidelity, state, simulated_value, simulated_cost, worker,
                                   lease_expires_at, ask_seq, retry_of)
         SELECT ${run}::int, base.next + i.ord - 1, i.arch_id, i.arch, i.fidelity, 'ASKED', i.simulated_value,
                i.simulated_cost, i.worker, clock_timestamp() + make_interval(secs => i.lease_seconds), i.ask_seq, i.retry_of
           FROM (SELECT coalesce(max(number) + 1, 0) AS next FROM search_trial WHERE run_id = ${run}::int) base,
                unnest(${value(inserts.map((t) => t.archId))}::text[], ${value(inserts.map((t) => t.arch))}::text[],
                       ${value(inserts.map((t) => t.fidelity))}::int[], ${value(inserts.map((t) => t.simulatedValue))}::float8[],
                       ${value(inserts.map((t) => t.simulatedCost))}::float8[], ${value(inserts.map((t) => t.worker))}::text[],
                       ${value(inserts.map((t) => t.leaseSeconds))}::float8[], ${value(inserts.map((t) => t.askSeq))}::int[],
                       ${value(inserts.map((t) => t.retryOf))}::int[])
                  WITH ORDINALITY AS i(arch_id, arch, fidelity, simulated_value, simulated_cost, worker, lease_seconds,
                                       ask_seq, retry_of, ord)
         RETURNING ${columns},
                   pg_notify(${channel}::text, json_build_object('runId', run_id, 'kind', 'ASKED', 'trialId', id)::text)
       )
       SELECT NULL::int AS from_seq, NULL::text AS stamp, 'TOLD' AS written, ${columns} FROM told
       UNION ALL
       SELECT NULL, NULL, 'ASKED', ${columns} FROM inserted
       UNION ALL
       SELECT from_seq, stamp, 'VERSION', ${columns.replace(/[a-z_]+/g, 'NULL')} FROM bumped
       UNION ALL
       SELECT NULL, NULL, 'CHECKED', ${columns.replace(/[a-z_]+/g, 'NULL')}
        WHERE NOT nashub_check(
          (SELECT count(*) FROM bumped) = 1
            AND (${value(firstSeq)}::int IS NULL OR (SELECT from_seq FROM bumped) = ${value(firstSeq)}::int)
            AND (SELECT count(*) FROM told) = ${value(tells.length)}::int,
          format('search run %s: its batch logged from version %s and told %s trials; the run is at version %s and %s were told',
                 ${run}::int, ${value(firstSeq)}::int, ${value(tells.length)}::int, (SELECT from_seq FROM bumped),
                 (SELECT count(*) FROM told)))`;
    const settle = (rows: Array<Record<string, unknown>>): string | null => {
      const version = rows.find((r) => r.written === 'VERSION')!;
      const told = hydrate(
        manager,
        SearchTrialEntity,
        rows.filter((r) => r.written === 'TOLD'),
      );
      for (const row of told) this.toldRows.set(row.id, row);
      const inserted = hydrate(
        manager,
        SearchTrialEntity,
        rows.filter((r) => r.written === 'ASKED'),
      ).sort((a, b) => a.number - b.number);
      this.insertedRows.push(...inserted);
      let next = 0;
      for (const q of queued) {
        q.settle(inserted.slice(next, next + q.count));
        next += q.count;
      }
      return version.stamp as string;
    };
    return { text, settle };
  }
}
