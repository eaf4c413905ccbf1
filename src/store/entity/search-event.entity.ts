import { Check, Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { SearchEventKind, type SearchEventKindValue } from '../search/search-run-vocabulary';
import { SearchRunEntity } from './search-run.entity';
import { SearchTrialEntity } from './search-trial.entity';
import { sqlInList } from './sql-in-list';

/**
 * A run's log of what its strategy was asked and told, in order: replaying it into a strategy built from the run's
 * seed rebuilds the strategy exactly (strategies are pure), so any API process can answer and a restart loses nothing.
 */
@Entity('search_event')
@Check('search_event_kind_check', `kind IN (${sqlInList(SearchEventKind)})`)
export class SearchEventEntity {
  @PrimaryColumn('integer', { name: 'run_id' })
  @ForeignKey(() => SearchRunEntity, { name: 'search_event_run_id_fkey' })
  runId: number;

  /** 0, 1, 2, …: the run's version before this event. */
  @PrimaryColumn('integer')
  seq: number;

  @Column('text')
  kind: SearchEventKindValue;

  /** ASK: the n the strategy was asked for. */
  @Column('integer', { nullable: true })
  n: number | null;

  /** TELL: the trial told. */
  @Column('integer', { name: 'trial_id', nullable: true })
  @ForeignKey(() => SearchTrialEntity, { name: 'search_event_trial_id_fkey' })
  trialId: number | null;
}
