import type { EntityManager } from 'typeorm';
import { METRICS, type MetricName } from '../../core';
import type { RecordResult, RecordValue } from './record';
import { METRIC_COLUMNS } from './run-values';
import type { SeedChoice } from './seed-choice';
import { loadCurvePoints } from './load-curve-points';
import { fnv1a } from './fnv1a';
import { groupByTarget, queryByHashes, type TargetKey } from './group-by-target';

/** One record to look up. */
export interface RecordRequest extends TargetKey {
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

/** Runs of the architectures of a hash array ($2) in a space ($1), for one dataset ($3) and protocol ($4). */
const RUNS_BY_HASH = `SELECT k.i::int AS i, a.id AS architecture_id, r.id, r.seed, r.seed_count, r.train_seconds,
       ${METRICS.map((m) => `r.${METRIC_COLUMNS[m]}`).join(', ')}
  FROM unnest($2::text[]) WITH ORDINALITY AS k(hash, i)
  JOIN architecture a ON a.space = $1 AND a.hash = k.hash
  JOIN run r ON r.architecture_id = a.id
 WHERE r.dataset_id = $3 AND r.protocol_id = $4 AND r.status = 'COMPLETE'`;

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
  const { groups, groupOf, slotOf } = groupByTarget(requests);
  // The runs of each group's hashes by slot: the requests of one architecture share a list. Index scans of the
  // architectures by hash and their runs by run_key, in a nested loop.
  const runs = groups.map((group) => Array.from(group.hashes, (): RunRow[] => []));
  await queryByHashes<RunRow>(manager, RUNS_BY_HASH, groups, (group, slot, row) => {
    runs[group.ordinal][slot].push(row);
  });
  const runsOf = requests.map((_, n) => runs[groupOf[n].ordinal][slotOf[n]]);
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
