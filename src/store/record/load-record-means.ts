import type { EntityManager } from 'typeorm';
import { METRICS, type MetricName } from '../../core';
import { groupByTarget, queryByHashes, type TargetKey } from './group-by-target';
import { METRIC_COLUMNS } from './run-values';

/** One record to look up by its seed means: MEAN at the protocol's last epoch (an architecture not stored has none). */
export type RecordMeansRequest = TargetKey;

/**
 * A record's values under MEAN at the protocol's last epoch, as `loadRecords` computes them from the runs: per metric
 * the mean over the seeded runs that measured it (summed in seed order), else the published mean, else null; the
 * training seconds likewise. No stds, seeds or counts: the kept means do not say them per metric.
 */
export type RecordMeans = Record<MetricName, number | null> & { trainSeconds: number | null };

/**
 * The kept seed means (`run_seed_mean`) of the architectures of a hash array ($2) in a space ($1), for one dataset ($3)
 * and protocol ($4): columns named as the metrics, the hash as its array position. A key with no COMPLETE run, or
 * whose runs measured no metric, has no record in `loadRecords` either: it is left out.
 */
const MEANS_BY_HASH = `SELECT k.i::int AS i, ${METRICS.map((m) => `s.${METRIC_COLUMNS[m]} AS "${m}"`).join(', ')},
       s.train_seconds AS "trainSeconds"
  FROM unnest($2::text[]) WITH ORDINALITY AS k(hash, i)
  JOIN architecture a ON a.space = $1 AND a.hash = k.hash
  JOIN run_seed_mean s ON s.dataset_id = $3 AND s.protocol_id = $4 AND s.architecture_id = a.id
 WHERE s.runs > 0 AND (${METRICS.map((m) => `s.${METRIC_COLUMNS[m]} IS NOT NULL`).join(' OR ')})`;

type MeansRow = RecordMeans & { i: number };

/**
 * The MEAN records of many architectures at their protocols' last epochs from the seed means the store keeps, in a
 * fixed number of statements (one per space, dataset, protocol and 1,000 architectures) whatever the number of
 * requests: narrow rows by primary key, no runs read or aggregated here. Null where `loadRecords` gives null: nothing
 * measured, or an architecture not stored.
 */
export async function loadRecordMeans(
  manager: EntityManager,
  requests: readonly RecordMeansRequest[],
): Promise<Array<RecordMeans | null>> {
  if (requests.length === 0) return [];
  const { groups, groupOf, slotOf } = groupByTarget(requests);
  const rows = groups.map((group) => new Array<MeansRow | undefined>(group.hashes.length));
  await queryByHashes<MeansRow>(manager, MEANS_BY_HASH, groups, (group, slot, row) => {
    rows[group.ordinal][slot] = row;
  });
  return requests.map((_, n) => rows[groupOf[n].ordinal][slotOf[n]] ?? null);
}
