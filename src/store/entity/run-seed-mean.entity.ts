import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The seed mean of (architecture, dataset, protocol): `record`'s and `table`'s default (MEAN) final values, kept by the
 * triggers of migration RunSeedMean in the transaction of every write to `run`, so a read of seed means is an index
 * lookup of narrow rows instead of an aggregation over runs. A value is the mean over the seeded runs that measured it,
 * summed in seed order (`avg(... ORDER BY seed)`), else the published mean (the run with no seed). Rows with `runs` 0
 * (a key whose COMPLETE runs are gone) are kept for the triggers' locking and read as absent. Derived from `run`
 * alone: no foreign keys of its own (the runs' keep its keys valid).
 */
@Entity('run_seed_mean')
export class RunSeedMeanEntity {
  @PrimaryColumn('integer', { name: 'dataset_id' })
  datasetId: number;

  @PrimaryColumn('integer', { name: 'protocol_id' })
  protocolId: number;

  @PrimaryColumn('integer', { name: 'architecture_id' })
  architectureId: number;

  /** COMPLETE runs of the key, seeded and published; 0: no record. */
  @Column('integer')
  runs: number;

  /** Seeded runs averaged, else the published mean's seed count (null when the publisher does not say). */
  @Column('integer', { name: 'seed_count', nullable: true })
  seedCount: number | null;

  /** The runs' source, or MIXED where they differ; null when `runs` is 0. */
  @Column('text', { nullable: true })
  source: string | null;

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

  @Column('double precision', { name: 'train_seconds', nullable: true })
  trainSeconds: number | null;
}
