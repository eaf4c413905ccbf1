import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { SearchTrialState, type SearchTrialStateValue } from '../search/search-run-vocabulary';
import { SearchRunEntity } from './search-run.entity';
import { sqlInList } from './sql-in-list';

/** One evaluation a run handed out: which architecture at which fidelity, to whom, and what came back. */
@Entity('search_trial')
@Unique('search_trial_run_number_key', ['runId', 'number'])
@Index('search_trial_run_state_idx', ['runId', 'state'])
@Check('search_trial_state_check', `state IN (${sqlInList(SearchTrialState)})`)
@Check('search_trial_cost_check', 'cost >= 0')
export class SearchTrialEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('integer', { name: 'run_id' })
  @ForeignKey(() => SearchRunEntity, { name: 'search_trial_run_id_fkey' })
  runId: number;

  /** 0, 1, 2, … in the order the run handed trials out. */
  @Column('integer')
  number: number;

  /** `space.id(arch)`. */
  @Column('text', { name: 'arch_id' })
  archId: string;

  /** `space.format(arch)`. */
  @Column('text')
  arch: string;

  /** Index into the run's fidelities. */
  @Column('integer')
  fidelity: number;

  @Column('text')
  state: SearchTrialStateValue;

  @Column('double precision', { nullable: true })
  value: number | null;

  @Column('double precision', { nullable: true })
  cost: number | null;

  /** Per-epoch values the worker sent with its result. */
  @Column('jsonb', { nullable: true })
  curve: number[] | null;

  /** TABLE mode: the stored record's value and simulated cost, handed out with the trial. */
  @Column('double precision', { name: 'simulated_value', nullable: true })
  simulatedValue: number | null;

  @Column('double precision', { name: 'simulated_cost', nullable: true })
  simulatedCost: number | null;

  /** The worker it was handed to. */
  @Column('text', { nullable: true })
  worker: string | null;

  @Column('timestamptz', { name: 'lease_expires_at', nullable: true })
  leaseExpiresAt: Date | null;

  /** The ASK event whose suggestion this is; null for a trial that asks an expired one again. */
  @Column('integer', { name: 'ask_seq', nullable: true })
  askSeq: number | null;

  /** The expired trial this one asks again. */
  @Column('integer', { name: 'retry_of', nullable: true })
  @ForeignKey(() => SearchTrialEntity, { name: 'search_trial_retry_of_fkey' })
  retryOf: number | null;

  /** 1, 2, 3, … in the order results were told; null until told. */
  @Column('integer', { name: 'told_index', nullable: true })
  toldIndex: number | null;

  /** Told cost of the run up to and including this trial (the run's clock at its tell). */
  @Column('double precision', { name: 'told_seconds', nullable: true })
  toldSeconds: number | null;

  /** The strategy's answer right after this trial was told (`space.format`), for the trajectory. */
  @Column('text', { name: 'answer_arch', nullable: true })
  answerArch: string | null;

  @Column('text', { nullable: true })
  reason: string | null;

  @Column({ type: 'timestamptz', name: 'asked_at', default: () => 'now()', insert: false, update: false })
  askedAt: Date;

  @Column('timestamptz', { name: 'told_at', nullable: true })
  toldAt: Date | null;
}
