import { ViewColumn, ViewEntity } from 'typeorm';

/**
 * The `run_epoch` view: one row per (run, epoch) that has any value, over `run_curve`'s arrays; for exports, checks
 * and set-based merges. Defined by the migration. `synchronize: false` because TypeORM compares a view's SQL with a
 * copy in its own `typeorm_metadata` table, which our migrations do not keep; the schema-diff test compares the
 * view's columns with these instead.
 */
@ViewEntity({ name: 'run_epoch', synchronize: false })
export class RunEpochEntity {
  @ViewColumn({ name: 'run_id' })
  runId: number;

  /** 1-based epoch. */
  @ViewColumn()
  epoch: number;

  @ViewColumn({ name: 'train_acc' })
  trainAcc: number | null;

  @ViewColumn({ name: 'valid_acc' })
  validAcc: number | null;

  @ViewColumn({ name: 'test_acc' })
  testAcc: number | null;

  @ViewColumn({ name: 'train_loss' })
  trainLoss: number | null;

  @ViewColumn({ name: 'valid_loss' })
  validLoss: number | null;

  @ViewColumn({ name: 'test_loss' })
  testLoss: number | null;

  /** Wall time of the epoch, seconds. */
  @ViewColumn({ name: 'epoch_seconds' })
  epochSeconds: number | null;
}
