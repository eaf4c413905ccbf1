import { createRng, getSpace, invariant, type SearchSpace } from '../../core';
import type { SearchEventRow, SearchRunRow } from '../../store/search';
import { SearchEventKind } from '../../store/search/search-run-vocabulary';
import type { SearchTrialEntity } from '../../store/entity/search-trial.entity';
import { createStrategy, type FidelityInfo, type Observation, type Strategy, type Suggestion } from '../strategy';

/** A run's strategy rebuilt to a version of its event log. */
export interface LiveStrategy {
  space: SearchSpace<unknown>;
  strategy: Strategy<unknown>;
  fidelities: readonly FidelityInfo[];
  /** Events applied: equals the run's `version` when current. */
  version: number;
}

/** What a run stores about its fidelities (search_run.fidelities). */
export interface StoredFidelity {
  protocol: string;
  metric: string;
  costFrom: string;
  epochs: number;
}

/** A strategy built from the run's seed, options and ladder, before any event. */
export function buildRunStrategy(run: SearchRunRow): LiveStrategy {
  const space = getSpace(run.space);
  const fidelities = (run.fidelities as StoredFidelity[]).map((f) => ({ protocol: f.protocol, epochs: f.epochs }));
  const strategy = createStrategy(
    run.strategy,
    { space, rng: createRng(Number(run.seed)), fidelities, defaultFidelity: run.observe },
    run.strategyOptions,
  );
  return { space, strategy, fidelities, version: 0 };
}

/** The observation a told trial gives its strategy. */
export function observationOf(space: SearchSpace<unknown>, trial: SearchTrialEntity): Observation<unknown> {
  invariant(trial.value !== null, `trial ${trial.id} has no value`);
  return {
    arch: space.parse(trial.arch),
    id: trial.archId,
    fidelity: trial.fidelity,
    value: trial.value,
    cost: trial.cost ?? 0,
    stoppedEarly: false,
  };
}

/**
 * Applies logged events to a strategy, in order: each ASK is asked again with its n and must give the suggestions the
 * run handed out (a prefix of them: suggestions past a time budget were never handed out); each TELL is told again.
 */
export async function replayEvents(
  live: LiveStrategy,
  runId: number,
  events: readonly SearchEventRow[],
): Promise<void> {
  for (const event of events) {
    invariant(event.seq === live.version, `run ${runId}: event ${event.seq} replayed at version ${live.version}`);
    if (event.kind === SearchEventKind.ASK) {
      const suggestions: Suggestion<unknown>[] = await live.strategy.ask(event.n ?? 0);
      const ids = suggestions.map((s) => live.space.id(s.arch));
      invariant(
        event.archIds.every((id, i) => ids[i] === id),
        `run ${runId}: ask ${event.seq} replays to ${ids.join(',')}, not the logged ${event.archIds.join(',')}`,
      );
    } else {
      invariant(event.trial !== null, `run ${runId}: tell ${event.seq} has no trial`);
      live.strategy.tell([observationOf(live.space, event.trial)]);
    }
    live.version++;
  }
}
