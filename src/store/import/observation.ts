import type { MetricName } from '../../core';

/** Values an observation can carry: the metrics plus times in seconds. */
export type ValueName = MetricName | 'trainSeconds' | 'epochSeconds';

/** Every value column of the staging table, in a fixed order. */
export const VALUE_NAMES: readonly ValueName[] = [
  'trainAcc',
  'validAcc',
  'testAcc',
  'trainLoss',
  'validLoss',
  'testLoss',
  'trainSeconds',
  'epochSeconds',
];

/** A canonical architecture as the import stores it. */
export interface ArchitectureRecord {
  hash: string;
  arch: string;
  isoClass: string;
  paramsM: number | null;
  flopsM: number | null;
}

/**
 * What one row says about one run: its key, and either its final values (`epoch` null) or one epoch of its curve.
 * A wide row yields one observation per (dataset, protocol, seed); a curve row one per epoch.
 */
export interface Observation {
  line: number;
  architecture: ArchitectureRecord;
  externalId: { scheme: string; id: string } | null;
  dataset: string;
  protocol: string;
  seed: number | null;
  seedCount: number | null;
  source: 'IMPORTED' | 'TRAINED';
  epoch: number | null;
  values: Partial<Record<ValueName, number>>;
}
