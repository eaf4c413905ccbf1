import type { MetricName } from '../../core';
import type { StrategyNameValue } from '../strategy';

/** One fidelity of a search: the protocol observed and where its simulated cost comes from. */
export interface FidelitySpec {
  /** Protocol whose final metric is observed. */
  protocol: string;
  metric: MetricName;
  /**
   * Protocol whose stored training seconds give the simulated cost, scaled by epochs (this protocol's ÷ that one's):
   * the same network trains each epoch in the same time, so a shorter schedule costs its share.
   */
  costFrom: string;
}

/** A published search protocol: what a run observes, pays, may spend and reports. */
export interface SearchPreset {
  name: string;
  /** One line for `--help` and the bench's JSON. */
  description: string;
  space: string;
  dataset: string;
  /** The fidelity ladder, cheapest first; HYPERBAND uses all of it. */
  fidelities: readonly FidelitySpec[];
  /** Index of the fidelity every single-fidelity strategy observes. */
  observe: number;
  /** The metric reported for the returned architecture. */
  final: { protocol: string; metric: MetricName };
  /** Simulated seconds a run may spend. */
  budgetSeconds: number;
  /** Options the published protocol fixes, per strategy (a run's own options override them). */
  strategyOptions: Partial<Record<StrategyNameValue, Readonly<Record<string, unknown>>>>;
  /**
   * The table that provides this preset's data (its file name: docs/import-mappings.md says where it comes from) and the
   * mapping that imports it, named when the data is missing.
   */
  data: { space: string; file: string; map: string };
  /**
   * Published mean ± std of the final metric, by the strategy it anchors, with the published method's name (NAS-Bench-201
   * has BOHB, not plain Hyperband, for the multi-fidelity family), for the bench to print beside ours.
   */
  published: Partial<Record<StrategyNameValue, { method: string; mean: number; std: number }>>;
}

/** The command that imports a preset's data, for error messages. */
export function presetImportHint(preset: SearchPreset): string {
  return `nashub import --space ${preset.data.space} --file ${preset.data.file} --map ${preset.data.map}`;
}
