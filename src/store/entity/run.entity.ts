import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Where a run's numbers came from. */
export const RunSource = { IMPORTED: 'IMPORTED', TRAINED: 'TRAINED' } as const;
/** One of {@link RunSource}'s values. */
export type RunSourceValue = (typeof RunSource)[keyof typeof RunSource];

/** Lifecycle of a run. */
export const RunStatus = { RUNNING: 'RUNNING', COMPLETE: 'COMPLETE', FAILED: 'FAILED' } as const;
/** One of {@link RunStatus}'s values. */
export type RunStatusValue = (typeof RunStatus)[keyof typeof RunStatus];

/** One training of one architecture on one dataset under one protocol with one seed, with its final metrics. */
@Entity('run')
// Unique per (architecture, dataset, protocol, seed) with NULLS NOT DISTINCT: constraint run_key in the migration.
export class RunEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('integer', { name: 'architecture_id' })
  architectureId: number;

  @Column('integer', { name: 'dataset_id' })
  datasetId: number;

  @Column('integer', { name: 'protocol_id' })
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

  /** Further per-run numbers a publisher mapped (device latencies, ...), by name. */
  @Column('jsonb', { name: 'extra_metrics', default: {} })
  extraMetrics: Record<string, number>;

  @Column('integer', { name: 'import_batch_id', nullable: true })
  importBatchId: number | null;

  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false })
  createdAt: Date;
}
