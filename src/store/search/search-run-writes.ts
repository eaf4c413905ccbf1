import type { EntityManager } from 'typeorm';
import { SearchTrialEntity } from '../entity/search-trial.entity';
import { entityColumns } from '../entity-columns';
import { hydrate } from '../hydrate';
import { SEARCH_EVENT_CHANNEL } from './search-run-event';
import type { NewSearchTrial } from './search-run-store';
import { SearchEventKind } from './search-run-vocabulary';

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
    const rows = (await manager.query(
      `WITH bumped AS (
         UPDATE search_run SET version = version + $2 WHERE id = $1 RETURNING version - $2 AS from_seq, xmin::text AS stamp
       ), logged AS (
         INSERT INTO search_event (run_id, seq, kind, n, trial_id)
         SELECT $1, e.seq, e.kind, e.n, e.trial_id FROM unnest($3::int[], $4::text[], $5::int[], $6::int[]) AS e(seq, kind, n, trial_id)
       ), told AS (
         UPDATE search_trial t
            SET state = 'TOLD', value = u.value, cost = u.cost, curve = u.curve, answer_arch = u.answer_arch,
                told_at = clock_timestamp(), told_index = u.told_index, told_seconds = u.told_seconds, lease_expires_at = NULL
           FROM unnest($7::int[], $8::float8[], $9::float8[], $10::jsonb[], $11::text[], $12::int[], $13::float8[])
                  AS u(id, value, cost, curve, answer_arch, told_index, told_seconds)
          WHERE t.id = u.id AND t.run_id = $1
         RETURNING ${entityColumns(manager, SearchTrialEntity, 't')},
                   pg_notify($14, json_build_object('runId', t.run_id, 'kind', 'TOLD', 'trialId', t.id)::text)
       ), inserted AS (
         INSERT INTO search_trial (run_id, number, arch_id, arch, fidelity, state, simulated_value, simulated_cost, worker,
                                   lease_expires_at, ask_seq, retry_of)
         SELECT $1, base.next + i.ord - 1, i.arch_id, i.arch, i.fidelity, 'ASKED', i.simulated_value, i.simulated_cost,
                i.worker, clock_timestamp() + make_interval(secs => i.lease_seconds), i.ask_seq, i.retry_of
           FROM (SELECT coalesce(max(number) + 1, 0) AS next FROM search_trial WHERE run_id = $1) base,
                unnest($15::text[], $16::text[], $17::int[], $18::float8[], $19::float8[], $20::text[], $21::float8[],
                       $22::int[], $23::int[])
                  WITH ORDINALITY AS i(arch_id, arch, fidelity, simulated_value, simulated_cost, worker, lease_seconds,
                                       ask_seq, retry_of, ord)
         RETURNING ${columns},
                   pg_notify($14, json_build_object('runId', run_id, 'kind', 'ASKED', 'trialId', id)::text)
       )
       SELECT NULL::int AS from_seq, NULL::text AS stamp, 'TOLD' AS written, ${columns} FROM told
       UNION ALL
       SELECT NULL, NULL, 'ASKED', ${columns} FROM inserted
       UNION ALL
       SELECT from_seq, stamp, 'VERSION', ${columns.replace(/[a-z_]+/g, 'NULL')} FROM bumped`,
      [
        runId,
        events.length,
        events.map((e) => e.seq),
        events.map((e) => e.kind),
        events.map((e) => e.n),
        events.map((e) => e.trialId),
        tells.map((t) => t.trialId),
        tells.map((t) => t.value),
        tells.map((t) => t.cost),
        tells.map((t) => (t.curve === null ? null : JSON.stringify(t.curve))),
        tells.map((t) => t.answerArch),
        tells.map((t) => t.toldIndex),
        tells.map((t) => t.toldSeconds),
        SEARCH_EVENT_CHANNEL,
        inserts.map((t) => t.archId),
        inserts.map((t) => t.arch),
        inserts.map((t) => t.fidelity),
        inserts.map((t) => t.simulatedValue),
        inserts.map((t) => t.simulatedCost),
        inserts.map((t) => t.worker),
        inserts.map((t) => t.leaseSeconds),
        inserts.map((t) => t.askSeq),
        inserts.map((t) => t.retryOf),
      ],
    )) as Array<Record<string, unknown>>;
    const version = rows.find((r) => r.written === 'VERSION');
    if (!version) throw new Error(`search run ${runId} is gone`);
    const fromSeq = version.from_seq;
    if (events.length > 0 && Number(fromSeq) !== events[0].seq)
      throw new Error(`search run ${runId} is at version ${String(fromSeq)}, its batch logged from ${events[0].seq}`);
    const told = hydrate(
      manager,
      SearchTrialEntity,
      rows.filter((r) => r.written === 'TOLD'),
    );
    if (told.length !== tells.length)
      throw new Error(`search run ${runId}: ${tells.length} tells wrote ${told.length}`);
    for (const row of told) this.toldRows.set(row.id, row);
    const inserted = hydrate(
      manager,
      SearchTrialEntity,
      rows.filter((r) => r.written === 'ASKED'),
    ).sort((a, b) => a.number - b.number);
    let next = 0;
    for (const q of queued) {
      q.settle(inserted.slice(next, next + q.count));
      next += q.count;
    }
    return version.stamp as string;
  }
}
