import { invariant, type SearchSpace } from '../../core';
import type { Evaluation, Evaluator } from '../evaluator/evaluator';
import type { Strategy } from '../strategy';
import type { SearchBudget } from './search-budget';

/** Where a run's answer changed: after the evaluation that finished at `seconds`. */
export interface TrajectoryPoint<A> {
  /** The evaluator's clock when the answer changed. */
  seconds: number;
  /** Evaluations told so far. */
  evaluations: number;
  arch: A;
  id: string;
}

/** Progress after each told evaluation. */
export interface SearchProgress {
  seconds: number;
  evaluations: number;
  /** Best value observed so far (at any fidelity), or null. */
  bestObserved: number | null;
}

/** Options of {@link runSearch}. */
export interface RunSearchOptions<A> {
  space: SearchSpace<A>;
  strategy: Strategy<A>;
  evaluator: Evaluator<A>;
  budget: SearchBudget;
  /** Evaluations running at once. */
  workers: number;
  onProgress?(progress: SearchProgress): void;
  /** Stops asking and returns what the run has (training mode: Ctrl-C). */
  signal?: AbortSignal;
}

/** What a run did and what it returns; the caller looks up the returned architecture's final metric. */
export interface SearchRunResult<A> {
  /** The strategy's answer at the end, or null when nothing finished within the budget. */
  arch: A | null;
  /** Everything the strategy was told, in the order it was told. */
  told: Evaluation<A>[];
  /** Evaluations started (each one read of the evaluator). */
  started: number;
  /** Evaluations that finished after a time budget ran out: paid for, never told. */
  discarded: number;
  /** The evaluator's clock at the last told evaluation. */
  seconds: number;
  /** The answer after each evaluation that changed it. */
  trajectory: TrajectoryPoint<A>[];
  /** True when the strategy had nothing left to ask before the budget ran out. */
  exhausted: boolean;
}

/**
 * The ask/tell loop over an evaluator with `workers` parallel evaluations. While workers are free and budget is
 * left it asks for as many architectures; then it waits for the next finish and tells it. A time budget stops new
 * evaluations once the clock reaches it, and an evaluation finishing after it is not told: NAS-Bench-201's scripts
 * (`RANDOM.py`, `R_EA.py`, `reinforce.py`) break out of their loop before counting an evaluation that would overshoot
 * the budget. An evaluation budget starts exactly that many and tells them all.
 */
export async function runSearch<A>(options: RunSearchOptions<A>): Promise<SearchRunResult<A>> {
  const { space, strategy, evaluator, budget, workers } = options;
  invariant(Number.isInteger(workers) && workers >= 1, `workers must be a positive integer, got ${workers}`);
  const told: Evaluation<A>[] = [];
  const trajectory: TrajectoryPoint<A>[] = [];
  let started = 0;
  let running = 0;
  let discarded = 0;
  let seconds = 0;
  let exhausted = false;
  let bestObserved: number | null = null;
  let answerId: string | null = null;
  try {
    for (;;) {
      if (options.signal?.aborted) break;
      const room =
        budget.kind === 'EVALUATIONS' ? budget.evaluations - started : evaluator.now() < budget.seconds ? workers : 0;
      const free = Math.min(workers - running, room);
      if (free > 0) {
        const suggestions = await strategy.ask(free);
        invariant(
          suggestions.length <= free,
          `${strategy.name} answered ${suggestions.length} suggestions to ask(${free})`,
        );
        for (const { arch, fidelity } of suggestions) {
          await evaluator.start({ seq: started++, arch, id: space.id(arch), fidelity });
          running++;
        }
        if (suggestions.length === 0 && running === 0) {
          exhausted = true;
          break;
        }
      }
      const evaluation = await evaluator.next();
      if (evaluation === null) break;
      running--;
      if (budget.kind === 'SECONDS' && evaluation.finishedAt > budget.seconds) {
        // Finish order: everything still running ends later still.
        discarded += running + 1;
        break;
      }
      strategy.tell([evaluation]);
      told.push(evaluation);
      seconds = evaluation.finishedAt;
      if (!evaluation.stoppedEarly && (bestObserved === null || evaluation.value > bestObserved))
        bestObserved = evaluation.value;
      const answer = strategy.recommend();
      const id = answer === null ? null : space.id(answer);
      if (answer !== null && id !== answerId)
        trajectory.push({ seconds, evaluations: told.length, arch: answer, id: id! });
      answerId = id;
      options.onProgress?.({ seconds, evaluations: told.length, bestObserved });
    }
  } finally {
    await evaluator.close();
  }
  return { arch: strategy.recommend(), told, started, discarded, seconds, trajectory, exhausted };
}
