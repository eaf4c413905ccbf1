import * as tf from '@tensorflow/tfjs';
import { ErrorCode, NashubError } from '../../core';
import type { ArchitectureBatch, Prediction, Predictor, PredictorDataNeeds, PredictorFitOptions, PredictorFitSummary } from './predictor';
import { PredictorKind } from './predictor';

/** Options of {@link EnsemblePredictor}. */
export interface EnsemblePredictorOptions {
  /** The members, fitted with seeds `seed * 1000 + i`; all on one space and encoding. */
  members: readonly Predictor[];
}

/** Mean and standard deviation over k members that differ in their seeds. */
export class EnsemblePredictor implements Predictor {
  readonly kind = PredictorKind.ENSEMBLE;
  readonly space: string;
  readonly dataNeeds: PredictorDataNeeds;
  private readonly members: readonly Predictor[];

  constructor(options: EnsemblePredictorOptions) {
    if (options.members.length < 2) throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'an ensemble needs at least 2 members');
    this.members = options.members;
    this.space = options.members[0]!.space;
    this.dataNeeds = options.members[0]!.dataNeeds;
  }

  async fit(batch: ArchitectureBatch, targets: readonly number[], options: PredictorFitOptions): Promise<PredictorFitSummary> {
    let summary: PredictorFitSummary = { used: 0, skipped: 0 };
    for (const [i, member] of this.members.entries()) summary = await member.fit(batch, targets, { seed: options.seed * 1000 + i });
    return summary;
  }

  predict(batch: ArchitectureBatch): Prediction {
    const each = this.members.map((m) => m.predict(batch).mean);
    const n = each[0]!.length;
    const mean = new Float64Array(n);
    const std = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (const p of each) sum += p[i]!;
      mean[i] = sum / each.length;
      let sq = 0;
      for (const p of each) sq += (p[i]! - mean[i]!) ** 2;
      std[i] = Math.sqrt(sq / (each.length - 1));
    }
    return { mean, std };
  }

  /** Writes all members as one artifact: member i's weights are named `m{i}/…`, its bytes follow member i-1's. */
  async save(handler: tf.io.IOHandler): Promise<void> {
    const parts: tf.io.ModelArtifacts[] = [];
    for (const member of this.members) {
      await member.save(tf.io.withSaveHandler(async (artifacts) => {
        parts.push(artifacts);
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }));
    }
    const buffers = parts.map((p) => toArrayBuffer(p.weightData!));
    await handler.save!({
      modelTopology: { kind: this.kind, space: this.space, members: parts.map((p, i) => ({ topology: p.modelTopology, bytes: buffers[i]!.byteLength })) },
      weightSpecs: parts.flatMap((p, i) => p.weightSpecs!.map((spec) => ({ ...spec, name: `m${i}/${spec.name}` }))),
      weightData: tf.io.concatenateArrayBuffers(buffers),
    });
  }

  /** Reads an artifact written by {@link EnsemblePredictor.save} with as many members. */
  async load(handler: tf.io.IOHandler): Promise<void> {
    const artifacts = await handler.load!();
    const topology = artifacts.modelTopology as { kind?: string; space?: string; members?: { topology: object; bytes: number }[] } | undefined;
    if (topology?.kind !== this.kind || topology.space !== this.space || topology.members?.length !== this.members.length || !artifacts.weightData) {
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `weights are not those of a ${this.members.length}-member ensemble on ${this.space}`, {
        details: { kind: topology?.kind, space: topology?.space, members: topology?.members?.length },
      });
    }
    const data = toArrayBuffer(artifacts.weightData);
    let offset = 0;
    for (const [i, member] of this.members.entries()) {
      const { topology: memberTopology, bytes } = topology.members[i]!;
      const prefix = `m${i}/`;
      const weightSpecs = (artifacts.weightSpecs ?? []).filter((s) => s.name.startsWith(prefix)).map((s) => ({ ...s, name: s.name.slice(prefix.length) }));
      await member.load(tf.io.fromMemory({ modelTopology: memberTopology, weightSpecs, weightData: data.slice(offset, offset + bytes) }));
      offset += bytes;
    }
  }

  dispose(): void {
    for (const member of this.members) member.dispose();
  }

}

function toArrayBuffer(data: tf.io.WeightData): ArrayBuffer {
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : (data as ArrayBuffer);
}
