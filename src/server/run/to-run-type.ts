import { getSpace } from '../../core';
import type { RunRow } from '../../store/run/list-runs';
import { ArchitectureNode } from '../architecture/architecture-node';
import type { RunType } from './run.type';

/** A stored run row as the `Run` type shows it. */
export function toRunType(row: RunRow): RunType {
  return {
    id: String(row.id),
    architecture: ArchitectureNode.fromText(getSpace(row.space), row.arch),
    dataset: row.dataset,
    protocol: row.protocol,
    seed: row.seed,
    seedCount: row.seedCount,
    source: row.source,
    status: row.status,
    ...row.values,
    trainTimeSeconds: row.trainSeconds,
  };
}
