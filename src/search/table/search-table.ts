import { ErrorCode, NashubError, type MetricName } from '../../core';

/** One fidelity of a table: a protocol's values and simulated costs by architecture id. */
export interface SearchTableFidelity {
  protocol: string;
  epochs: number;
  metric: MetricName;
  /** The observed metric by architecture id. */
  values: ReadonlyMap<string, number>;
  /** Simulated seconds of one evaluation by architecture id; empty when the store has no training times for it. */
  costs: ReadonlyMap<string, number>;
}

/** What a {@link SearchTable} holds. */
export interface SearchTableData {
  space: string;
  dataset: string;
  /** Cheapest first. */
  fidelities: readonly SearchTableFidelity[];
  /** The metric a run reports for the architecture it returns. */
  final: { protocol: string; metric: MetricName; values: ReadonlyMap<string, number> };
}

/**
 * A benchmark table in memory that counts who reads it: `observe` is the evaluator's read (one per evaluation, the only
 * way a strategy learns a value), `finalValue` is the report's read of a returned architecture, counted apart. The
 * counters are how a test proves a run honest.
 */
export class SearchTable {
  /** Reads through {@link observe}: evaluations. */
  reads = 0;
  /** Reads through {@link finalValue}: the report's. */
  reportReads = 0;

  constructor(readonly data: SearchTableData) {}

  /** The value and simulated cost of one evaluation; DATA_NOT_IMPORTED when the table lacks the architecture. */
  observe(id: string, fidelity: number): { value: number; cost: number | undefined } {
    this.reads++;
    const column = this.data.fidelities[fidelity];
    const value = column.values.get(id);
    if (value === undefined) {
      throw new NashubError(
        ErrorCode.DATA_NOT_IMPORTED,
        `no ${column.metric} of ${this.data.space} architecture ${id} on ${this.data.dataset} under ${column.protocol}; a table search needs every architecture it may visit`,
        {
          details: { space: this.data.space, dataset: this.data.dataset, protocol: column.protocol, id },
        },
      );
    }
    return { value, cost: column.costs.get(id) };
  }

  /** The reported metric of an architecture, or null when the table lacks it. */
  finalValue(id: string): number | null {
    this.reportReads++;
    return this.data.final.values.get(id) ?? null;
  }

  /** The best reported metric over the whole table: the regret baseline of a benchmark (not a run's read). */
  optimum(): number {
    let best = Number.NEGATIVE_INFINITY;
    for (const value of this.data.final.values.values()) if (value > best) best = value;
    return best;
  }

  /** True when every fidelity has simulated costs (a time budget needs them). */
  hasCosts(): boolean {
    return this.data.fidelities.every((f) => f.costs.size > 0);
  }
}
