import * as tf from '@tensorflow/tfjs';
import { createRng, ErrorCode, NashubError } from '../../core';
import { applyBinnedCurve, fitBinnedCurve, type BinnedCurve } from './binned-curve';
import { checkBatchSpace } from './check-batch';
import { labelledRecords } from './labelled-records';
import { applyMonotoneMap, fitMonotoneMap, type MonotoneMap } from './monotone-map';
import { quantile } from './quantile';
import type { NetworkParams } from './network';
import type { NetworkPredictor } from './network-predictor';
import type {
  ArchitectureBatch,
  Prediction,
  Predictor,
  PredictorDataNeeds,
  PredictorFitOptions,
  PredictorFitSummary,
} from './predictor';
import { PredictorKind } from './predictor';

/** Which labelled records each ensemble member trains on. */
export const EnsembleResample = {
  /** All records for every member: members differ only in seed; output map and residual curve are fitted in sample. */
  NONE: 'none',
  /** k folds for k members: member i leaves out fold i; each record's out-of-fold prediction fits the residual curve. */
  FOLDS: 'folds',
} as const;

/** One of {@link EnsembleResample}'s values. */
export type EnsembleResampleValue = (typeof EnsembleResample)[keyof typeof EnsembleResample];

/** How an ensemble turns its members' spread and its residuals on the labelled records into `std`. */
export const EnsembleUncertainty = {
  /** Standard deviation of the members' calibrated predictions. */
  SPREAD: 'spread',
  /** The 68th percentile of |residual| near the predicted value: a 1σ band meant to hold 68 % of errors. */
  RESIDUAL: 'residual',
  /** Root sum of squares of SPREAD and RESIDUAL. */
  COMBINED: 'combined',
  /**
   * SPREAD times one factor: the 68th percentile, over the out-of-fold records, of |residual| / spread (FOLDS only;
   * with NONE there are no out-of-fold records and the factor stays 1).
   */
  SCALED: 'scaled',
} as const;

/** One of {@link EnsembleUncertainty}'s values. */
export type EnsembleUncertaintyValue = (typeof EnsembleUncertainty)[keyof typeof EnsembleUncertainty];

/** Options of {@link EnsemblePredictor}. */
export interface EnsemblePredictorOptions {
  /** The members, fitted with seeds `seed * 1000 + i` through `fitStages`; all MLPs on one space and encoding. */
  members: readonly NetworkPredictor[];
  /** Which labelled records each member trains on; left-out records fit the residual curve and the SCALED factor. */
  resample: EnsembleResampleValue;
  /** Map the members' mean onto the targets by isotonic regression (else keep the members' own linear maps). */
  isotonic: boolean;
  /** What `std` reports. */
  uncertainty: EnsembleUncertaintyValue;
}

/** Architectures with finite targets. */
export interface TargetRecords {
  /** Architectures. */
  archs: readonly unknown[];
  /** Their targets. */
  targets: readonly number[];
}

/** Options of {@link EnsemblePredictor.fitRecords}. */
export interface EnsembleFitRecordsOptions {
  /** Labelled records with finite targets: they train the members and fit the output map and the residual curve. */
  labelled: TargetRecords;
  /** Pseudo-labelled records that train every member alongside the labelled ones, but fit nothing else. */
  extra?: TargetRecords;
  /** Proxy-labelled records every member pre-trains on, for `steps` Adam steps, before the labelled ones. */
  pretrain?: TargetRecords & { steps: number };
  /** Weights every member starts from instead of its seeded ones (e.g. a pre-trained first layer). */
  start?: NetworkParams;
  /** Seed of the members (`seed * 1000 + i`) and of the folds. */
  seed: number;
}

/** Share of a normal within ±1σ; the residual curve keeps this quantile of |residual| so that std reads as σ. */
const ONE_SIGMA_SHARE = 0.6827;

/** Bins of the residual curve: about 40 records per bin, 3 to 12 bins. */
function residualBins(n: number): number {
  return Math.max(3, Math.min(12, Math.round(n / 40)));
}

/**
 * Mean and spread over k members that differ in seed (and, with FOLDS, in the records they see). The members' mean
 * is mapped onto the targets by isotonic regression, a strictly increasing map (order and τ unchanged) that follows
 * skewed targets where one linear map cannot. `std` is the members' spread on that mapped scale, optionally scaled or
 * combined with the residual expected at the predicted value (see {@link EnsembleUncertainty}).
 */
export class EnsemblePredictor implements Predictor {
  readonly kind = PredictorKind.ENSEMBLE;
  readonly space: string;
  readonly dataNeeds: PredictorDataNeeds;
  private readonly members: readonly NetworkPredictor[];
  private calibration: MonotoneMap | undefined;
  private residual: BinnedCurve | undefined;
  private spreadScale = 1;

  constructor(private readonly options: EnsemblePredictorOptions) {
    if (options.members.length < 2)
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'an ensemble needs at least 2 members');
    this.members = options.members;
    this.space = options.members[0]!.space;
    this.dataNeeds = { encoding: options.members[0]!.dataNeeds.encoding, minRecords: 10, unlabelled: 0 };
  }

  async fit(
    batch: ArchitectureBatch,
    targets: readonly number[],
    options: PredictorFitOptions,
  ): Promise<PredictorFitSummary> {
    checkBatchSpace(batch, this.space);
    const records = labelledRecords(batch, targets, this.dataNeeds.minRecords);
    await this.fitRecords({ labelled: { archs: records.archs, targets: records.targets }, seed: options.seed });
    return { used: records.targets.length, skipped: records.skipped };
  }

  /** Fits on validated records, with optional pseudo-labelled extras and proxy pre-training (SEMI's ways in). */
  async fitRecords(options: EnsembleFitRecordsOptions): Promise<void> {
    const { labelled, seed } = options;
    const extra = options.extra ?? { archs: [], targets: [] };
    const n = labelled.targets.length;
    const labelledBatch = { space: this.space, archs: labelled.archs };
    const sums = new Float64Array(n);
    const counts = new Float64Array(n);
    const inSample = new Float64Array(n);
    const each: Float64Array[] = [];
    const folds = this.foldOf(n, seed);
    for (const [i, member] of this.members.entries()) {
      const picks = Array.from({ length: n }, (_, r) => r).filter(
        (r) => this.options.resample !== EnsembleResample.FOLDS || folds[r] !== i,
      );
      const inBag = new Uint8Array(n);
      for (const r of picks) inBag[r] = 1;
      const main = {
        archs: [...picks.map((r) => labelled.archs[r]), ...extra.archs],
        targets: [...picks.map((r) => labelled.targets[r]!), ...extra.targets],
        steps: member.steps,
      };
      member.fitStages(options.pretrain ? [options.pretrain, main] : [main], seed * 1000 + i, options.start);
      const predicted = member.predict(labelledBatch).mean;
      each.push(predicted);
      for (let r = 0; r < n; r++) {
        inSample[r] += predicted[r]! / this.members.length;
        if (!inBag[r]) {
          sums[r] += predicted[r]!;
          counts[r] += 1;
        }
      }
    }
    // The map is fitted in sample: out-of-fold scores come from one member on 80% of the records, noisier than the
    // whole ensemble's, and a map fitted on them shrank too much (MAE 3.5 against 2.0 at N=78, README). The residual
    // curve uses the out-of-fold prediction where a member left the record out, the in-sample mean elsewhere.
    this.calibration = this.options.isotonic ? fitMonotoneMap(inSample, labelled.targets) : undefined;
    const scores = Float64Array.from(inSample, (v, r) => (counts[r]! > 0 ? sums[r]! / counts[r]! : v));
    const fitted = Float64Array.from(scores, (s) => this.calibrated(s));
    const absResiduals = fitted.map((v, r) => Math.abs(labelled.targets[r]! - v));
    this.residual = fitBinnedCurve(fitted, absResiduals, { bins: residualBins(n), quantile: ONE_SIGMA_SHARE });
    const ratios: number[] = [];
    for (let r = 0; r < n; r++) {
      const spread = this.spreadAt(each, r);
      if (counts[r]! > 0 && spread > 0) ratios.push(absResiduals[r]! / spread);
    }
    this.spreadScale = ratios.length > 0 ? quantile(ratios, ONE_SIGMA_SHARE) : 1;
  }

  predict(batch: ArchitectureBatch): Prediction {
    checkBatchSpace(batch, this.space);
    const residual = this.fittedResidual();
    const each = this.members.map((m) => m.predict(batch).mean);
    const n = each[0]!.length;
    const k = each.length;
    const mean = new Float64Array(n);
    const std = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (const p of each) sum += p[i]!;
      mean[i] = this.calibrated(sum / k);
      const spread = this.spreadAt(each, i);
      const expected = Math.max(0, applyBinnedCurve(residual, mean[i]!));
      std[i] =
        this.options.uncertainty === EnsembleUncertainty.SPREAD
          ? spread
          : this.options.uncertainty === EnsembleUncertainty.SCALED
            ? this.spreadScale * spread
            : this.options.uncertainty === EnsembleUncertainty.RESIDUAL
              ? expected
              : Math.hypot(spread, expected);
    }
    return { mean, std };
  }

  /** Writes all members as one artifact: member i's weights are named `m{i}/…`, its bytes follow member i-1's. */
  async save(handler: tf.io.IOHandler): Promise<void> {
    const residual = this.fittedResidual();
    const parts: tf.io.ModelArtifacts[] = [];
    for (const member of this.members) {
      await member.save(
        tf.io.withSaveHandler(async (artifacts) => {
          parts.push(artifacts);
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
    }
    const buffers = parts.map((p) => toArrayBuffer(p.weightData!));
    await handler.save!({
      modelTopology: {
        kind: this.kind,
        space: this.space,
        members: parts.map((p, i) => ({ topology: p.modelTopology, bytes: buffers[i]!.byteLength })),
        calibration: this.calibration ?? null,
        residual,
        spreadScale: this.spreadScale,
      },
      weightSpecs: parts.flatMap((p, i) => p.weightSpecs!.map((spec) => ({ ...spec, name: `m${i}/${spec.name}` }))),
      weightData: tf.io.concatenateArrayBuffers(buffers),
    });
  }

  /** Reads an artifact written by {@link EnsemblePredictor.save} with as many members. */
  async load(handler: tf.io.IOHandler): Promise<void> {
    const artifacts = await handler.load!();
    const topology = artifacts.modelTopology as
      | {
          kind?: string;
          space?: string;
          members?: { topology: object; bytes: number }[];
          calibration?: MonotoneMap | null;
          residual?: BinnedCurve;
          spreadScale?: number;
        }
      | undefined;
    if (
      topology?.kind !== this.kind ||
      topology.space !== this.space ||
      topology.members?.length !== this.members.length ||
      !artifacts.weightData ||
      !topology.residual ||
      typeof topology.spreadScale !== 'number' ||
      this.options.isotonic !== Boolean(topology.calibration)
    ) {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `weights are not those of a ${this.members.length}-member ensemble on ${this.space}`,
        {
          details: { kind: topology?.kind, space: topology?.space, members: topology?.members?.length },
        },
      );
    }
    const data = toArrayBuffer(artifacts.weightData);
    let offset = 0;
    for (const [i, member] of this.members.entries()) {
      const { topology: memberTopology, bytes } = topology.members[i]!;
      const prefix = `m${i}/`;
      const weightSpecs = (artifacts.weightSpecs ?? [])
        .filter((s) => s.name.startsWith(prefix))
        .map((s) => ({ ...s, name: s.name.slice(prefix.length) }));
      await member.load(
        tf.io.fromMemory({
          modelTopology: memberTopology,
          weightSpecs,
          weightData: data.slice(offset, offset + bytes),
        }),
      );
      offset += bytes;
    }
    this.calibration = topology.calibration ?? undefined;
    this.residual = topology.residual;
    this.spreadScale = topology.spreadScale;
  }

  dispose(): void {
    for (const member of this.members) member.dispose();
  }

  /** Fold of each record for FOLDS: a seeded permutation cut into as many near-equal folds as members. */
  private foldOf(n: number, seed: number): Int32Array {
    const rng = createRng(seed * 1000 + 104723);
    const order = Array.from({ length: n }, (_, r) => r);
    for (let r = n - 1; r > 0; r--) {
      const j = rng.int(r + 1);
      [order[r], order[j]] = [order[j]!, order[r]!];
    }
    const folds = new Int32Array(n);
    order.forEach((r, position) => (folds[r] = position % this.members.length));
    return folds;
  }

  /** Standard deviation of the members' calibrated predictions at one architecture. */
  private spreadAt(each: readonly Float64Array[], i: number): number {
    let centre = 0;
    for (const p of each) centre += this.calibrated(p[i]!) / each.length;
    let sq = 0;
    for (const p of each) sq += (this.calibrated(p[i]!) - centre) ** 2;
    return Math.sqrt(sq / (each.length - 1));
  }

  private calibrated(score: number): number {
    return this.calibration ? applyMonotoneMap(this.calibration, score) : score;
  }

  private fittedResidual(): BinnedCurve {
    if (!this.residual)
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'the ENSEMBLE predictor has not been fitted or loaded');
    return this.residual;
  }
}

function toArrayBuffer(data: tf.io.WeightData): ArrayBuffer {
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : (data as ArrayBuffer);
}
