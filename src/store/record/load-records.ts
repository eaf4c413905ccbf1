import type { EntityManager } from 'typeorm';
import { METRICS, type MetricName } from '../../core';
import type { RecordResult, RecordValue } from './record';
import { METRIC_COLUMNS } from './run-values';
import type { SeedChoice } from './seed-choice';
import { loadCurvePoints } from './load-curve-points';
import { fnv1a } from './fnv1a';

/** One record to look up. */
export interface RecordRequest {
  /** Search space of the architecture. */
  space: string;
  /** The architecture's identity key in its space (`architecture.hash`); an architecture not stored has no record. */
  hash: string;
  datasetId: number;
  protocolId: number;
  /** Epoch to read; the protocol's last epoch reads the runs' final values. */
  epoch: number;
  /** Epochs of the protocol. */
  lastEpoch: number;
  choice: SeedChoice;
}

interface RunRow {
  /** 1-based position of the run's architecture in the statement's hash array. */
  i: number;
  id: number;
  architecture_id: number;
  seed: number | null;
  seed_count: number | null;
  train_seconds: number | null;
  [column: string]: number | null;
}

/**
 * Most architectures in one statement. On PGlite a statement runs on the server's thread and nothing interrupts it: a
 * 10,000-architecture load is ten statements with turns of the event loop between them.
 */
const MAX_HASHES = 1_000;

/** Runs of the architectures of a hash array ($2) in a space ($1), for one dataset ($3) and protocol ($4). */
const RUNS_BY_HASH = `SELECT k.i::int AS i, a.id AS architecture_id, r.id, r.seed, r.seed_count, r.train_seconds,
       ${METRICS.map((m) => `r.${METRIC_COLUMNS[m]}`).join(', ')}
  FROM unnest($2::text[]) WITH ORDINALITY AS k(hash, i)
  JOIN architecture a ON a.space = $1 AND a.hash = k.hash
  JOIN run r ON r.architecture_id = a.id
 WHERE r.dataset_id = $3 AND r.protocol_id = $4 AND r.status = 'COMPLETE'`;

/** The requests of one space, dataset and protocol: one space, dataset and protocol, and their distinct hashes in order. */
interface RunGroup {
  space: string;
  datasetId: number;
  protocolId: number;
  /** Position of each hash in `hashes`. */
  index: Map<string, number>;
  hashes: string[];
  /** Runs by hash position. */
  runs: RunRow[][];
}

/**
 * Records for many requests in a fixed number of statements (runs per space, dataset, protocol and 1,000
 * architectures, found by the architectures' hashes in the same statement; then the curve points of non-final epochs),
 * whatever the number of requests: what a DataLoader batch calls. A record with nothing measured, or of an
 * architecture not stored, is null, never a made-up value.
 */
export async function loadRecords(
  manager: EntityManager,
  requests: readonly RecordRequest[],
): Promise<Array<RecordResult | null>> {
  if (requests.length === 0) return [];
  const groups = new Map<string, RunGroup>();
  let last: RunGroup | undefined;
  // Each request's runs, filled in by the statements below; the requests of one architecture share a list.
  const runsOf = new Array<RunRow[]>(requests.length);
  requests.forEach((r, n) => {
    // The requests of a batch come mostly from one list field: the same group as the one before.
    let group = last;
    if (!group || group.space !== r.space || group.datasetId !== r.datasetId || group.protocolId !== r.protocolId) {
      const key = `${r.space}\u0000${r.datasetId}:${r.protocolId}`;
      group = groups.get(key);
      if (!group) {
        group = {
          space: r.space,
          datasetId: r.datasetId,
          protocolId: r.protocolId,
          index: new Map(),
          hashes: [],
          runs: [],
        };
        groups.set(key, group);
      }
      last = group;
    }
    let slot = group.index.get(r.hash);
    if (slot === undefined) {
      slot = group.hashes.length;
      group.index.set(r.hash, slot);
      group.hashes.push(r.hash);
      group.runs.push([]);
    }
    runsOf[n] = group.runs[slot];
  });
  // One statement per group and MAX_HASHES architectures: the architectures by hash and their runs by run_key, index
  // scans in a nested loop. A hash comes back as its array position, an integer, not as its text (~90 bytes on nb201)
  // on every run row.
  for (const group of groups.values()) {
    for (let start = 0; start < group.hashes.length; start += MAX_HASHES) {
      const rows: RunRow[] = await manager.query(RUNS_BY_HASH, [
        group.space,
        group.hashes.slice(start, start + MAX_HASHES),
        group.datasetId,
        group.protocolId,
      ]);
      for (const row of rows) group.runs[start + row.i - 1].push(row);
    }
  }
  const pointRequests: Array<{ runId: number; epoch: number }> = [];
  requests.forEach((r, n) => {
    if (r.epoch === r.lastEpoch) return;
    for (const run of runsOf[n]) pointRequests.push({ runId: run.id, epoch: r.epoch });
  });
  const points = await loadCurvePoints(manager, pointRequests);

  return requests.map((request, n) => {
    const final = request.epoch === request.lastEpoch;
    // The final epoch reads the run's own columns: no per-run object (this runs for every key of a batch).
    const valueOf = final
      ? finalValue
      : (run: RunRow, metric: MetricName) => points.get(`${run.id}:${request.epoch}`)?.[metric];
    const seeded: RunRow[] = [];
    let published: RunRow | undefined;
    for (const run of runsOf[n]) {
      if (run.seed === null) {
        published = run;
        continue;
      }
      // Inserted in seed order: a handful of seeds, where Array.prototype.sort would allocate on every call.
      let i = seeded.length;
      seeded.push(run);
      for (; i > 0 && seeded[i - 1].seed! > run.seed; i--) seeded[i] = seeded[i - 1];
      seeded[i] = run;
    }
    if (request.choice.mode !== 'MEAN') {
      const chosen = choose(seeded, request);
      if (!chosen) return null;
      return single(chosen, (metric) => valueOf(chosen, metric), request.epoch, final);
    }
    return mean(seeded, published, valueOf, request.epoch, final);
  });
}

/** A run's final value of a metric: its own column. */
function finalValue(run: RunRow, metric: MetricName): number | null {
  return run[METRIC_COLUMNS[metric]];
}

function choose(seeded: RunRow[], request: RecordRequest): RunRow | undefined {
  const { choice } = request;
  if (choice.mode === 'SEED') return seeded.find((run) => run.seed === choice.seed);
  if (choice.mode === 'RANDOM' && seeded.length > 0) {
    // Keyed by the architecture's stored id (every run here is of one architecture), as `loadRecordTable`'s pick is.
    const key = `${choice.clientSeed}:${seeded[0].architecture_id}:${request.datasetId}:${request.protocolId}:${request.epoch}`;
    return seeded[fnv1a(key) % seeded.length];
  }
  return undefined;
}

function single(
  run: RunRow,
  valueOf: (metric: MetricName) => number | null | undefined,
  epoch: number,
  final: boolean,
): RecordResult | null {
  const out: Partial<Record<MetricName, RecordValue>> = {};
  for (const metric of METRICS) {
    const value = valueOf(metric);
    if (value !== null && value !== undefined) out[metric] = { mean: value, std: null, n: 1 };
  }
  if (Object.keys(out).length === 0) return null;
  return {
    epoch,
    seeds: [run.seed!],
    isPublishedMean: false,
    values: out,
    trainSeconds: final ? run.train_seconds : null,
  };
}

function mean(
  seeded: RunRow[],
  published: RunRow | undefined,
  valueOf: (run: RunRow, metric: MetricName) => number | null | undefined,
  epoch: number,
  final: boolean,
): RecordResult | null {
  const out: Partial<Record<MetricName, RecordValue>> = {};
  const used = new Array<boolean>(seeded.length).fill(false);
  let isPublishedMean = false;
  let any = false;
  for (const metric of METRICS) {
    // Summed in seed order, then divided: the table query's avg(... ORDER BY seed) gives the same double.
    let sum = 0;
    let n = 0;
    for (let i = 0; i < seeded.length; i++) {
      const value = valueOf(seeded[i], metric);
      if (value === null || value === undefined) continue;
      sum += value;
      n += 1;
      used[i] = true;
    }
    if (n > 0) {
      const m = sum / n;
      let variance = 0;
      for (const run of seeded) {
        const value = valueOf(run, metric);
        if (value !== null && value !== undefined) variance += (value - m) ** 2;
      }

      out[metric] = { mean: m, std: Math.sqrt(variance / n), n };
      any = true;
      continue;
    }
    const value = published ? valueOf(published, metric) : null;
    if (value !== null && value !== undefined) {
      out[metric] = { mean: value, std: null, n: published!.seed_count };
      isPublishedMean = true;
      any = true;
    }
  }
  if (!any) return null;
  let secondsSum = 0;
  let secondsN = 0;
  for (const run of seeded) {
    if (run.train_seconds === null) continue;
    secondsSum += run.train_seconds;
    secondsN += 1;
  }
  const trainSeconds = !final ? null : secondsN > 0 ? secondsSum / secondsN : (published?.train_seconds ?? null);
  const seeds: number[] = [];
  for (let i = 0; i < seeded.length; i++) if (used[i]) seeds.push(seeded[i].seed!);
  return { epoch, seeds, isPublishedMean, values: out, trainSeconds };
}
