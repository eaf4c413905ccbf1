import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { RunEntity } from './run.entity';

/**
 * A run's per-epoch curve as arrays, index i = epoch i + 1 (NULL where an epoch lacks the metric). The `run_epoch`
 * view shows the same data as rows.
 */
@Entity('run_curve')
export class RunCurveEntity {
  @PrimaryColumn('integer', { name: 'run_id' })
  @ForeignKey(() => RunEntity, { name: 'run_curve_run_id_fkey', onDelete: 'CASCADE' })
  runId: number;

  @Column('double precision', { name: 'train_acc', array: true, nullable: true })
  trainAcc: Array<number | null> | null;

  @Column('double precision', { name: 'valid_acc', array: true, nullable: true })
  validAcc: Array<number | null> | null;

  @Column('double precision', { name: 'test_acc', array: true, nullable: true })
  testAcc: Array<number | null> | null;

  @Column('double precision', { name: 'train_loss', array: true, nullable: true })
  trainLoss: Array<number | null> | null;

  @Column('double precision', { name: 'valid_loss', array: true, nullable: true })
  validLoss: Array<number | null> | null;

  @Column('double precision', { name: 'test_loss', array: true, nullable: true })
  testLoss: Array<number | null> | null;

  /** Wall time of each epoch, seconds. */
  @Column('double precision', { name: 'epoch_seconds', array: true, nullable: true })
  epochSeconds: Array<number | null> | null;
}
