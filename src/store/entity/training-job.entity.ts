import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TrainingJobStatus, type TrainingJobStatusValue } from '../training/training-job-status';
import { ArchitectureEntity } from './architecture.entity';
import { DatasetEntity } from './dataset.entity';
import { ProtocolEntity } from './protocol.entity';
import { RunEntity } from './run.entity';
import { sqlInList } from './sql-in-list';

/**
 * A request to train (architecture, dataset, protocol, seed). Its id is the pg-boss job id: pg-boss owns claiming,
 * leases and retries; this row owns what users see. At most one QUEUED/RUNNING job per key.
 */
@Entity('training_job')
@Index('training_job_pending_key', ['architectureId', 'datasetId', 'protocolId', 'seed'], {
  unique: true,
  where: `status IN ('${TrainingJobStatus.QUEUED}', '${TrainingJobStatus.RUNNING}')`,
})
// The migration orders both columns DESC (newest first); TypeORM compares an index's columns, not their order.
@Index('training_job_created_idx', ['createdAt', 'id'])
@Check('training_job_status_check', `status IN (${sqlInList(TrainingJobStatus)})`)
@Check('training_job_epochs_done_check', 'epochs_done >= 0')
@Check('training_job_total_epochs_check', 'total_epochs > 0')
@Check('training_job_check', 'epochs_done <= total_epochs')
export class TrainingJobEntity {
  /** The pg-boss job id. */
  @PrimaryColumn('uuid')
  id: string;

  @Column('integer', { name: 'architecture_id' })
  @ForeignKey(() => ArchitectureEntity, { name: 'training_job_architecture_id_fkey' })
  architectureId: number;

  @Column('integer', { name: 'dataset_id' })
  @ForeignKey(() => DatasetEntity, { name: 'training_job_dataset_id_fkey' })
  datasetId: number;

  @Column('integer', { name: 'protocol_id' })
  @ForeignKey(() => ProtocolEntity, { name: 'training_job_protocol_id_fkey' })
  protocolId: number;

  @Column('integer')
  seed: number;

  /** Higher runs first. */
  @Column('integer', { default: 0 })
  priority: number;

  @Column('text')
  status: TrainingJobStatusValue;

  /** The run it trains, written epoch by epoch; null until the first claim. */
  @Column('integer', { name: 'run_id', nullable: true })
  @ForeignKey(() => RunEntity, { name: 'training_job_run_id_fkey' })
  runId: number | null;

  @Column('integer', { name: 'epochs_done', default: 0 })
  epochsDone: number;

  @Column('integer', { name: 'total_epochs' })
  totalEpochs: number;

  /** The trainer's state after `epochsDone` epochs; read only by the worker that resumes it, never with the row. */
  @Column('bytea', { nullable: true, select: false })
  checkpoint: Buffer | null;

  /** Claims so far, retries included. */
  @Column('integer', { default: 0 })
  attempts: number;

  /** The tfjs backend that trained it (`wasm`, `webgpu`, ...). */
  @Column('text', { nullable: true })
  backend: string | null;

  @Column('text', { nullable: true })
  device: string | null;

  /** The claim that owns a RUNNING job: host, pid and a random token. */
  @Column('text', { nullable: true })
  worker: string | null;

  @Column('text', { nullable: true })
  error: string | null;

  /** The API key name that requested it, when one did. */
  @Column('text', { name: 'requested_by', nullable: true })
  requestedBy: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()', insert: false, update: false })
  createdAt: Date;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}
