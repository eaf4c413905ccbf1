import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import {
  SearchRunMode,
  SearchRunStatus,
  type SearchRunModeValue,
  type SearchRunStatusValue,
} from '../search/search-run-vocabulary';
import { DatasetEntity } from './dataset.entity';
import { SearchSpaceEntity } from './search-space.entity';
import { sqlInList } from './sql-in-list';

/**
 * A search run shared by workers anywhere (issue 15): what it searches, with which strategy and budget, and its status.
 * The strategy's state is not stored: it is rebuilt by replaying `search_event` (`version` events so far).
 */
@Entity('search_run')
@Index('search_run_created_idx', ['createdAt', 'id'])
@Check('search_run_mode_check', `mode IN (${sqlInList(SearchRunMode)})`)
@Check('search_run_status_check', `status IN (${sqlInList(SearchRunStatus)})`)
@Check('search_run_budget_check', 'budget_seconds > 0 OR budget_evaluations > 0')
@Check('search_run_lease_seconds_check', 'lease_seconds > 0')
export class SearchRunEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('text')
  @ForeignKey(() => SearchSpaceEntity, { name: 'search_run_space_fkey' })
  space: string;

  @Column('integer', { name: 'dataset_id' })
  @ForeignKey(() => DatasetEntity, { name: 'search_run_dataset_id_fkey' })
  datasetId: number;

  /** The published protocol it follows (`nb201-cifar10-valid`), or null. */
  @Column('text', { nullable: true })
  preset: string | null;

  /** The fidelity ladder (protocol, metric, cost source), the observed fidelity and the reported metric. */
  @Column('jsonb')
  fidelities: unknown;

  @Column('integer')
  observe: number;

  @Column('text', { name: 'final_protocol' })
  finalProtocol: string;

  @Column('text', { name: 'final_metric' })
  finalMetric: string;

  @Column('text')
  strategy: string;

  @Column('jsonb', { name: 'strategy_options' })
  strategyOptions: Record<string, unknown>;

  @Column('bigint')
  seed: string;

  @Column('text')
  mode: SearchRunModeValue;

  @Column('text', { default: SearchRunStatus.RUNNING })
  status: SearchRunStatusValue;

  @Column('double precision', { name: 'budget_seconds', nullable: true })
  budgetSeconds: number | null;

  @Column('integer', { name: 'budget_evaluations', nullable: true })
  budgetEvaluations: number | null;

  /** Seconds a worker has to tell (or heartbeat) a trial before it expires and is asked again. */
  @Column('double precision', { name: 'lease_seconds' })
  leaseSeconds: number;

  /** Events in the run's log: a strategy rebuilt from `version` events is current. */
  @Column('integer', { default: 0 })
  version: number;

  /**
   * False once the run asks its strategy nothing more: the strategy had nothing left, or (time budget, TABLE mode) a
   * suggestion's simulated cost would overrun the budget. The run is FINISHED once nothing is outstanding either.
   */
  @Column('boolean', { default: true })
  asking: boolean;

  /** The API key name that created it. */
  @Column('text', { name: 'created_by', nullable: true })
  createdBy: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()', insert: false, update: false })
  createdAt: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}
