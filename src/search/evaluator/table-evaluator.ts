import { ErrorCode, NashubError } from '../../core';
import type { FidelityInfo } from '../strategy';
import type { SearchTable } from '../table/search-table';
import { EvaluationSource, type Evaluation, type Evaluator, type Trial } from './evaluator';

/** Options of {@link TableEvaluator}. */
export interface TableEvaluatorOptions {
  table: SearchTable;
  /** The fidelity single-fidelity strategies observe. */
  defaultFidelity: number;
  /** Refuse an architecture without a simulated cost (a time budget needs every cost) instead of costing it 0. */
  requireCosts: boolean;
}

/**
 * Simulated evaluations from a stored table on an asynchronous clock, as Syne Tune's simulator backend runs them: a
 * trial started at time t finishes at t + its cost, and results come out in finish-time order (ties in start order),
 * so W workers interleave the way real ones would. Nothing sleeps: the clock jumps to the next finish.
 */
export class TableEvaluator<A> implements Evaluator<A> {
  readonly fidelities: readonly FidelityInfo[];
  readonly defaultFidelity: number;
  private clock = 0;
  /** Running evaluations, sorted by (finish, seq) descending so the next one pops off the end. */
  private readonly running: Evaluation<A>[] = [];

  constructor(private readonly options: TableEvaluatorOptions) {
    this.fidelities = options.table.data.fidelities.map((f) => ({ protocol: f.protocol, epochs: f.epochs }));
    this.defaultFidelity = options.defaultFidelity;
  }

  now(): number {
    return this.clock;
  }

  async start(trial: Trial<A>): Promise<void> {
    const { table, requireCosts } = this.options;
    const { value, cost } = table.observe(trial.id, trial.fidelity);
    if (cost === undefined && requireCosts) {
      const { protocol } = table.data.fidelities[trial.fidelity];
      throw new NashubError(
        ErrorCode.DATA_NOT_IMPORTED,
        `no training seconds to cost ${table.data.space} architecture ${trial.id} under ${protocol} on ${table.data.dataset}; a time budget needs them`,
        {
          details: {
            space: table.data.space,
            dataset: table.data.dataset,
            protocol,
            id: trial.id,
            missing: 'trainSeconds',
          },
        },
      );
    }
    // Without stored training times (an evaluation budget only) evaluations take no simulated time.
    const seconds = cost ?? 0;
    const evaluation: Evaluation<A> = {
      ...trial,
      value,
      cost: seconds,
      stoppedEarly: false,
      finishedAt: this.clock + seconds,
      source: EvaluationSource.RECORD,
    };
    let at = this.running.length;
    while (at > 0 && before(this.running[at - 1], evaluation)) at--;
    this.running.splice(at, 0, evaluation);
  }

  async next(): Promise<Evaluation<A> | null> {
    const evaluation = this.running.pop();
    if (evaluation === undefined) return null;
    this.clock = evaluation.finishedAt;
    return evaluation;
  }

  async close(): Promise<void> {
    this.running.length = 0;
  }
}

/** True when `a` finishes before `b` (then in start order). */
function before(a: Evaluation<unknown>, b: Evaluation<unknown>): boolean {
  return a.finishedAt < b.finishedAt || (a.finishedAt === b.finishedAt && a.seq < b.seq);
}
