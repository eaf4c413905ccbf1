import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ArchitectureEntity } from './architecture.entity';
import { DatasetEntity } from './dataset.entity';
import { ImportBatchEntity } from './import-batch.entity';
import { ProtocolEntity } from './protocol.entity';
import { RunOriginEntity } from './run-origin.entity';
import { sqlInList } from './sql-in-list';

/** Where a run's numbers came from. */
export const RunSource = { IMPORTED: 'IMPORTED', TRAINED: 'TRAINED' } as const;
/** One of {@link RunSource}'s values. */
export type RunSourceValue = (typeof RunSource)[keyof typeof RunSource];

/** Lifecycle of a run. */
export const RunStatus = {
  RUNNING: 'RUNNING',
  COMPLETE: 'COMPLETE',
  FAILED: 'FAILED',
  /** Stopped by the trainer's learning-curve early stopping; its curve is partial. */
  STOPPED_EARLY: 'STOPPED_EARLY',
} as const;
/** One of {@link RunStatus}'s values. */
export type RunStatusValue = (typeof RunStatus)[keyof typeof RunStatus];

/** One training of one architecture on one dataset under one protocol with one seed, with its final metrics. */
@Entity('run')
// NULLS NOT DISTINCT (one published mean per key) is in the migration only: TypeORM's @Unique cannot say it.
@Unique('run_key', ['architectureId', 'datasetId', 'protocolId', 'seed'])
@Index('run_dataset_protocol_idx', ['datasetId', 'protocolId'])
@Check('run_seed_count_check', 'seed_count > 0')
@Check('run_source_check', `source IN (${sqlInList(RunSource)})`)
@Check('run_status_check', `status IN (${sqlInList(RunStatus)})`)
@Check('run_train_seconds_check', 'train_seconds >= 0')
@Check('run_check', 'seed IS NULL OR seed_count IS NULL')
export class RunEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('integer', { name: 'architecture_id' })
  @ForeignKey(() => ArchitectureEntity, { name: 'run_architecture_id_fkey' })
  architectureId: number;

  @Column('integer', { name: 'dataset_id' })
  @ForeignKey(() => DatasetEntity, { name: 'run_dataset_id_fkey' })
  datasetId: number;

  @Column('integer', { name: 'protocol_id' })
  @ForeignKey(() => ProtocolEntity, { name: 'run_protocol_id_fkey' })
  protocolId: number;

  /** Training seed; null for a value published as a mean over `seedCount` seeds. */
  @Column('integer', { nullable: true })
  seed: number | null;

  /** Seeds averaged in a published mean (null for a single-seed run, or when the publisher does not say). */
  @Column('integer', { name: 'seed_count', nullable: true })
  seedCount: number | null;

  @Column('text')
  source: RunSourceValue;

  @Column('text', { default: RunStatus.COMPLETE })
  status: RunStatusValue;

  /** Accuracies in percent (0-100), losses as reported, at the protocol's last epoch. */
  @Column('double precision', { name: 'train_acc', nullable: true })
  trainAcc: number | null;

  @Column('double precision', { name: 'valid_acc', nullable: true })
  validAcc: number | null;

  @Column('double precision', { name: 'test_acc', nullable: true })
  testAcc: number | null;

  @Column('double precision', { name: 'train_loss', nullable: true })
  trainLoss: number | null;

  @Column('double precision', { name: 'valid_loss', nullable: true })
  validLoss: number | null;

  @Column('double precision', { name: 'test_loss', nullable: true })
  testLoss: number | null;

  /** Total training time in seconds. */
  @Column('double precision', { name: 'train_seconds', nullable: true })
  trainSeconds: number | null;

  @Column('text', { nullable: true })
  hardware: string | null;

  /** The nashub version whose trainer wrote a TRAINED run's final values; null for imported runs. */
  @Column('text', { name: 'nashub_version', nullable: true })
  nashubVersion: string | null;

  /** Where a run imported from a release first came from (that release's origin); null otherwise. */
  @Column('text', { name: 'origin_id', nullable: true })
  @ForeignKey(() => RunOriginEntity, { name: 'run_origin_id_fkey' })
  originId: string | null;

  @Column('integer', { name: 'import_batch_id', nullable: true })
  @ForeignKey(() => ImportBatchEntity, { name: 'run_import_batch_id_fkey' })
  importBatchId: number | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()', insert: false, update: false })
  createdAt: Date;
}
