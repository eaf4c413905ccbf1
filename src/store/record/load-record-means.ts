import type { EntityManager } from 'typeorm';
import { METRICS, type MetricName } from '../../core';
import { METRIC_COLUMNS } from './run-values';

/** One record to look up by its seed means: MEAN at the protocol's last epoch. */
export interface RecordMeansRequest {
  /** Search space of the architecture. */
  space: string;
  /** The architecture's identity key in its space (`architecture.hash`); an architecture not stored has no record. */
  hash: string;
  datasetId: number;
  protocolId: number;
}

/**
 * A record's values under MEAN at the protocol's last epoch, as `loadRecords` computes them from the runs: per metric
 * the mean over the seeded runs that measured it (summed in seed order), else the published mean, else null; the
 * training seconds likewise. No stds, seeds or counts: the kept means do not say them per metric.
 */
export type RecordMeans = Record<MetricName, number | null> & { trainSeconds: number | null };

/** Most architectures in one statement, as in `loadRecords` (on PGlite a statement holds the server's thread). */
const MAX_HASHES = 1_000;

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

/** The requests of one space, dataset and protocol, and their distinct hashes in order. */
interface MeansGroup {
  space: string;
  datasetId: number;
  protocolId: number;
  /** Position of each hash in `hashes`. */
  index: Map<string, number>;
  hashes: string[];
  /** Rows by hash position, once read. */
  rows: Array<MeansRow | undefined>;
}

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
  const groups = new Map<string, MeansGroup>();
  let last: MeansGroup | undefined;
  const groupOf = new Array<MeansGroup>(requests.length);
  const slotOf = new Array<number>(requests.length);
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
          rows: [],
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
    }
    groupOf[n] = group;
    slotOf[n] = slot;
  });
  for (const group of groups.values()) {
    group.rows.length = group.hashes.length;
    for (let start = 0; start < group.hashes.length; start += MAX_HASHES) {
      const rows: MeansRow[] = await manager.query(MEANS_BY_HASH, [
        group.space,
        group.hashes.slice(start, start + MAX_HASHES),
        group.datasetId,
        group.protocolId,
      ]);
      for (const row of rows) group.rows[start + row.i - 1] = row;
    }
  }
  return requests.map((_, n) => groupOf[n].rows[slotOf[n]] ?? null);
}
