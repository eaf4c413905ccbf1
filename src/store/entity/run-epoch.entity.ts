import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One epoch of a run's curve (epochs count from 1). */
@Entity('run_epoch')
export class RunEpochEntity {
  @PrimaryColumn('integer', { name: 'run_id' })
  runId: number;

  @PrimaryColumn('integer')
  epoch: number;

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

  /** Wall time of this epoch in seconds. */
  @Column('double precision', { name: 'epoch_seconds', nullable: true })
  epochSeconds: number | null;
}
