import type { EntityManager } from 'typeorm';

/** What a record lookup is grouped by: the architecture's space and hash, the dataset and the protocol. */
export interface TargetKey {
  /** Search space of the architecture. */
  space: string;
  /** The architecture's identity key in its space (`architecture.hash`); an architecture not stored has no record. */
  hash: string;
  datasetId: number;
  protocolId: number;
}

/** The requests of one space, dataset and protocol, and their distinct hashes in first-seen order. */
export interface TargetGroup {
  /** The group's position in {@link GroupedTargets.groups}: where a loader keeps its rows of the group. */
  ordinal: number;
  space: string;
  datasetId: number;
  protocolId: number;
  /** Position of each hash in `hashes`. */
  index: Map<string, number>;
  hashes: string[];
}

/** The groups in first-seen order, and each request's group and the position of its hash there. */
export interface GroupedTargets {
  groups: TargetGroup[];
  groupOf: TargetGroup[];
  slotOf: number[];
}

/**
 * Most architectures in one statement. On PGlite a statement runs on the server's thread and nothing interrupts it: a
 * 10,000-architecture load is ten statements with turns of the event loop between them.
 */
export const MAX_HASHES = 1_000;

/**
 * Groups lookups by space, dataset and protocol, each hash once per group: what lets a batch of any size be read in a
 * fixed number of statements ({@link queryByHashes}).
 */
export function groupByTarget(requests: readonly TargetKey[]): GroupedTargets {
  const byKey = new Map<string, TargetGroup>();
  const groups: TargetGroup[] = [];
  const groupOf = new Array<TargetGroup>(requests.length);
  const slotOf = new Array<number>(requests.length);
  let last: TargetGroup | undefined;
  for (let n = 0; n < requests.length; n++) {
    const r = requests[n];
    // The requests of a batch come mostly from one list field: the same group as the one before.
    let group = last;
    if (!group || group.space !== r.space || group.datasetId !== r.datasetId || group.protocolId !== r.protocolId) {
      const key = `${r.space}\u0000${r.datasetId}:${r.protocolId}`;
      group = byKey.get(key);
      if (!group) {
        group = {
          ordinal: groups.length,
          space: r.space,
          datasetId: r.datasetId,
          protocolId: r.protocolId,
          index: new Map(),
          hashes: [],
        };
        byKey.set(key, group);
        groups.push(group);
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
  }
  return { groups, groupOf, slotOf };
}

/**
 * Runs `sql` (parameters: space, a hash array, dataset id, protocol id) once per group and {@link MAX_HASHES} hashes,
 * handing each row to `onRow` with the slot of its hash: the statement returns a hash as its 1-based array position
 * `i`, an integer, not its text (~90 bytes on nb201) on every row.
 */
export async function queryByHashes<R extends { i: number }>(
  manager: EntityManager,
  sql: string,
  groups: readonly TargetGroup[],
  onRow: (group: TargetGroup, slot: number, row: R) => void,
): Promise<void> {
  for (const group of groups) {
    for (let start = 0; start < group.hashes.length; start += MAX_HASHES) {
      const rows: R[] = await manager.query(sql, [
        group.space,
        group.hashes.slice(start, start + MAX_HASHES),
        group.datasetId,
        group.protocolId,
      ]);
      for (const row of rows) onRow(group, start + row.i - 1, row);
    }
  }
}
