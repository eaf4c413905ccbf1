import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { SearchRunModeValue, SearchRunStatusValue, SearchTrialStateValue } from '../../store/search';
import { ArchitectureType } from '../architecture/architecture.type';
import type { ArchitectureNode } from '../architecture/architecture-node';
import { connectionType } from '../page/connection-type';
import { SearchRunMode, SearchRunStatus, SearchTrialState } from './search-enums';

/** TABLE mode: what the record says, for the worker to tell back. */
@ObjectType('SimulatedEvaluation')
export class SimulatedEvaluationType {
  @Field(() => Float, { description: "The stored record's value of the trial's protocol and metric." })
  value: number;

  @Field(() => Float, { nullable: true, description: 'Simulated training seconds (null where the store has no time).' })
  cost: number | null;
}

/** One evaluation a run handed out. */
@ObjectType('SearchTrial', {
  description: 'One evaluation a search run handed out: what, to whom, and what came back.',
})
export class SearchTrialType {
  @Field(() => ID, { description: 'The trial id: give it to tell, heartbeat and failTrial.' })
  id: string;

  @Field(() => ID)
  runId: string;

  @Field(() => Int, { description: '0, 1, 2, … in the order the run handed trials out.' })
  number: number;

  @Field(() => ArchitectureType)
  architecture: ArchitectureNode;

  @Field({ description: 'The protocol to evaluate it under (its fidelity), e.g. hp=12.' })
  protocol: string;

  @Field(() => Int, { description: "That protocol's epochs." })
  epochs: number;

  @Field(() => SearchTrialState)
  state: SearchTrialStateValue;

  @Field(() => Float, { nullable: true })
  value: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Seconds the evaluation cost (told, or simulated in TABLE mode).',
  })
  cost: number | null;

  @Field(() => [Float], { nullable: true, description: 'Per-epoch values the worker told with its result.' })
  curve: number[] | null;

  @Field(() => String, { nullable: true, description: 'The worker it was handed to.' })
  worker: string | null;

  @Field(() => Date, { nullable: true, description: 'When the trial expires unless told or heartbeated.' })
  leaseExpiresAt: Date | null;

  @Field(() => Date)
  askedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it was told or failed.' })
  toldAt: Date | null;

  @Field(() => String, { nullable: true, description: "failTrial's reason." })
  reason: string | null;

  @Field(() => ID, { nullable: true, description: 'The expired trial this one asks again.' })
  retryOf: string | null;

  @Field(() => SimulatedEvaluationType, {
    nullable: true,
    description: 'TABLE mode only: the value (and simulated cost) to tell back.',
  })
  simulated: SimulatedEvaluationType | null;
}

/** What ask answers. */
@ObjectType('SearchAsk')
export class SearchAskType {
  @Field(() => [SearchTrialType])
  trials: SearchTrialType[];

  @Field({ description: 'True when the run gives nothing more (FINISHED or STOPPED): stop asking.' })
  finished: boolean;

  @Field(() => Float, {
    description: 'With no trials and not finished (others are still evaluating): seconds to wait before asking again.',
  })
  retryAfterSeconds: number;
}

/** What `tellAndAsk` answers: the trial told and the worker's next trials. */
@ObjectType('SearchTellAndAsk')
export class SearchTellAndAskType {
  @Field(() => SearchTrialType, { description: 'The trial told, as `tell` answers it.' })
  told: SearchTrialType;

  @Field(() => SearchAskType, { description: 'The worker’s next trials, as `ask` answers them.' })
  next: SearchAskType;
}

/** Budget spent so far. */
@ObjectType('SearchBudgetUsed')
export class SearchBudgetUsedType {
  @Field(() => Int, { description: 'Trials told.' })
  evaluations: number;

  @Field(() => Float, { description: 'Sum of told cost (seconds).' })
  seconds: number;
}

/** The run's answer. */
@ObjectType('SearchBest')
export class SearchBestType {
  @Field(() => ArchitectureType)
  architecture: ArchitectureNode;

  @Field(() => Float, { description: 'Its best told value (at the observed fidelity).' })
  value: number;

  @Field(() => Float, {
    nullable: true,
    description: "Its stored value under the run's final protocol (preset: hp=200), or null when the store has none.",
  })
  finalValue: number | null;
}

/** Where the run's answer changed. */
@ObjectType('SearchTrajectoryPoint')
export class SearchTrajectoryPointType extends SearchBestType {
  @Field(() => Float, { description: 'Told cost of the run when the answer changed.' })
  seconds: number;

  @Field(() => Int, { description: 'Trials told when the answer changed.' })
  evaluations: number;
}

/** A search run. */
@ObjectType('SearchRun', {
  description: 'A search run shared by workers anywhere: what it searches, how, and where it stands.',
})
export class SearchRunType {
  @Field(() => ID)
  id: string;

  @Field()
  space: string;

  @Field()
  dataset: string;

  @Field(() => String, { nullable: true, description: 'The published protocol it follows, e.g. nb201-cifar10-valid.' })
  preset: string | null;

  @Field({ description: 'The protocol single-fidelity strategies observe (preset nb201-*: hp=12).' })
  observeProtocol: string;

  @Field({ description: "The protocol whose metric is reported for the run's answer (preset nb201-*: hp=200)." })
  finalProtocol: string;

  @Field()
  strategy: string;

  @Field(() => GraphQLJSONObject, {
    description:
      "The strategy's options as the run keeps them: every option, defaults filled in when the run was created (a later " +
      "release's defaults do not change a stored run).",
  })
  strategyOptions: Record<string, unknown>;

  @Field(() => Float, { description: 'The strategy’s seed.' })
  seed: number;

  @Field(() => SearchRunMode)
  mode: SearchRunModeValue;

  @Field(() => SearchRunStatus)
  status: SearchRunStatusValue;

  @Field(() => Float, { nullable: true, description: 'Budget in told (TABLE: simulated) seconds.' })
  budgetSeconds: number | null;

  @Field(() => Int, { nullable: true, description: 'Budget in evaluations.' })
  budgetEvaluations: number | null;

  @Field(() => Float, { description: 'Seconds a worker has to tell (or heartbeat) a trial before it expires.' })
  leaseSeconds: number;

  @Field(() => String, { nullable: true, description: 'The API key that created it.' })
  createdBy: string | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;
}

export const SearchTrialConnection = connectionType<SearchTrialType>('SearchTrial', () => SearchTrialType, 'Trials');
export const SearchRunConnection = connectionType<SearchRunType>('SearchRun', () => SearchRunType, 'Runs');

/** The arguments of createSearchRun. */
@InputType('CreateSearchRunInput')
export class CreateSearchRunInput {
  @Field(() => String, {
    nullable: true,
    description: 'A published protocol, e.g. nb201-cifar10-valid; or space, dataset and protocol.',
  })
  preset?: string;

  @Field(() => String, { nullable: true })
  space?: string;

  @Field(() => String, { nullable: true })
  dataset?: string;

  @Field(() => String, {
    nullable: true,
    description: "Without a preset: observe and report this protocol's validation accuracy.",
  })
  protocol?: string;

  @Field({
    description:
      'RANDOM, REGULARIZED_EVOLUTION, REINFORCE, LOCAL_SEARCH, BANANAS, EVOLUTION_WITH_PREDICTOR or HYPERBAND.',
  })
  strategy: string;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "The strategy's options over the preset's." })
  strategyOptions?: Record<string, unknown>;

  @Field(() => Float, {
    nullable: true,
    description: "Budget in told seconds (TABLE: simulated); default the preset's.",
  })
  budgetSeconds?: number;

  @Field(() => Int, { nullable: true, description: 'Budget in evaluations (trials told or failed).' })
  budgetEvaluations?: number;

  @Field(() => Float, {
    nullable: true,
    defaultValue: 0,
    description: "The strategy's seed, a whole number in [0, 2^32).",
  })
  seed?: number;

  @Field(() => SearchRunMode, { nullable: true, defaultValue: 'TABLE' })
  mode?: SearchRunModeValue;

  @Field(() => Float, {
    nullable: true,
    defaultValue: 600,
    description: 'Seconds a worker has to tell (or heartbeat) a trial before it expires and is asked again.',
  })
  leaseSeconds?: number;
}

/** Filter of searchRuns. */
@InputType('SearchRunFilter')
export class SearchRunFilterInput {
  @Field(() => [SearchRunStatus], { nullable: true })
  status?: SearchRunStatusValue[];

  @Field(() => String, { nullable: true })
  space?: string;

  @Field(() => String, { nullable: true })
  dataset?: string;

  @Field(() => String, { nullable: true })
  strategy?: string;
}
