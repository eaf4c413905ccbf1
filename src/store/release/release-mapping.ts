import { METRICS } from '../../core';
import { resolveMapping, type ImportMapping } from '../import';
import { METRIC_COLUMNS, RELEASE_EXTERNAL_ID } from './release-columns';
import type { ReleaseTableValue } from './release-files';
import type { ReleaseProtocol } from './release-manifest';

/** Options of {@link releaseMapping}. */
export interface ReleaseMappingOptions {
  table: ReleaseTableValue;
  /** Only this space's rows are read (importFile imports one space at a time). */
  space: string;
  /** The manifest's protocols, declared so that a fresh store creates them. */
  protocols: readonly ReleaseProtocol[];
}

/**
 * The built-in mapping of a release table: long layout, `seed` empty for a mean over seeds, `arch_id` checked
 * against the id nashub computes, rows without values kept (a run may have no final metric, an epoch no number).
 */
export function releaseMapping(options: ReleaseMappingOptions): ImportMapping {
  const common = {
    arch: 'arch',
    archId: 'arch_id',
    dataset: 'dataset',
    protocol: 'protocol',
    seed: 'seed',
    seedMean: 'whenSeedEmpty',
    accuracyScale: 'percent',
    metrics: Object.fromEntries(METRICS.map((metric, i) => [metric, METRIC_COLUMNS[i]])),
    keepEmptyRows: true,
    where: { space: options.space },
    protocols: Object.fromEntries(
      options.protocols.map((p) => [
        p.name,
        { epochs: p.epochs, hyperparameters: p.hyperparameters, description: p.description },
      ]),
    ),
  };
  if (options.table === 'records') {
    return resolveMapping({
      ...common,
      externalId: { column: RELEASE_EXTERNAL_ID.column, scheme: RELEASE_EXTERNAL_ID.scheme, optional: true },
      seedCount: 'seed_count',
      trainSeconds: 'train_seconds',
      source: 'source',
    });
  }
  return resolveMapping({ ...common, epoch: 'epoch', epochSeconds: 'epoch_seconds' });
}
