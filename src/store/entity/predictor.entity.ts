import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DatasetEntity } from './dataset.entity';
import { ProtocolEntity } from './protocol.entity';
import { SearchSpaceEntity } from './search-space.entity';
import { sqlInList } from './sql-in-list';

/** Predictor lifecycle: fitted in a job (TRAINING), then READY or FAILED; READY turns STALE when new runs arrive. */
export const PredictorStatus = {
  TRAINING: 'TRAINING',
  READY: 'READY',
  FAILED: 'FAILED',
  STALE: 'STALE',
} as const;
/** One of {@link PredictorStatus}'s values. */
export type PredictorStatusValue = (typeof PredictorStatus)[keyof typeof PredictorStatus];

/** Held-out quality of a fitted predictor. */
export interface PredictorMetrics {
  /** Kendall tau-b between predicted and true values of the held-out records. */
  kendallTau: number;
  /** Spearman rank correlation between predicted and true values of the held-out records. */
  spearman: number;
  /** Mean absolute error, in the metric's units (percentage points for accuracies). */
  mae: number;
  /** Spearman correlation between |error| and the predicted std: > 0 when the std means something. */
  stdErrorSpearman: number | null;
  /** Share of held-out values inside mean ± 1.645 std (a nominal 90% interval). */
  coverage90: number | null;
  /** Held-out records the metrics are computed on. */
  heldOut: number;
}

/** One fitted surrogate or learning-curve extrapolator version for a (space, dataset, protocol, metric) target. */
@Entity('predictor')
@Index('predictor_target_idx', ['space', 'datasetId', 'protocolId', 'status'])
@Check('predictor_epoch_check', 'epoch > 0')
@Check('predictor_train_size_check', 'train_size >= 0')
@Check('predictor_status_check', `status IN (${sqlInList(PredictorStatus)})`)
@Check('predictor_progress_check', 'progress BETWEEN 0 AND 1')
@Check('predictor_check', `status <> 'READY' OR weights IS NOT NULL`)
export class PredictorEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('text')
  @ForeignKey(() => SearchSpaceEntity, { name: 'predictor_space_fkey' })
  space: string;

  @Column('integer', { name: 'dataset_id' })
  @ForeignKey(() => DatasetEntity, { name: 'predictor_dataset_id_fkey' })
  datasetId: number;

  @Column('integer', { name: 'protocol_id' })
  @ForeignKey(() => ProtocolEntity, { name: 'predictor_protocol_id_fkey' })
  protocolId: number;

  /** The record metric it predicts (`validAcc`, ...). */
  @Column('text')
  metric: string;

  /** The epoch it predicts; null: the protocol's last epoch. */
  @Column('integer', { nullable: true })
  epoch: number | null;

  /** The predictor kind's registered name. */
  @Column('text')
  kind: string;

  @Column('jsonb', { default: {} })
  hyperparameters: Record<string, unknown>;

  @Column('integer')
  seed: number;

  /** Records it was fitted on; null until fitted. */
  @Column('integer', { name: 'train_size', nullable: true })
  trainSize: number | null;

  /** sha256 of the training set, to tell whether a refit would see new data. */
  @Column('text', { name: 'train_set_sha256', nullable: true })
  trainSetSha256: string | null;

  /** Targets left out of the fit (e.g. a run without the metric). */
  @Column('integer', { name: 'skipped_targets', default: 0 })
  skippedTargets: number;

  /** The serialised model state; read only when a model is loaded, never with the row. */
  @Column('bytea', { nullable: true, select: false })
  weights: Buffer | null;

  @Column('jsonb', { nullable: true })
  metrics: PredictorMetrics | null;

  @Column('text')
  status: PredictorStatusValue;

  /** Share of the fit done, 0 to 1. */
  @Column('double precision', { default: 0 })
  progress: number;

  @Column('text', { nullable: true })
  error: string | null;

  /** The pg-boss job that fits it. */
  @Column('uuid', { name: 'job_id', nullable: true })
  jobId: string | null;

  /** nashub's version when it was fitted (a model state is read only by the version that wrote it). */
  @Column('text', { name: 'nashub_version' })
  nashubVersion: string;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()', insert: false, update: false })
  createdAt: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}

/** A predictor as its row is read: everything but the weights, which are read only to load its model. */
export type PredictorRow = Omit<PredictorEntity, 'weights'>;
