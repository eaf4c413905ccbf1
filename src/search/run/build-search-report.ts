import type { SearchRunResult } from './run-search';
import type { SearchReport } from './search-report';
import type { SearchSpec } from './search-spec';

/** Options of {@link buildSearchReport}. */
export interface BuildSearchReportOptions {
  spec: SearchSpec;
  run: SearchRunResult<unknown>;
  mode: SearchReport['mode'];
  wallSeconds: number;
  /** The report's own lookup of an architecture's final metric (never the strategy's). */
  finalValue(id: string): number | null;
  /** Best final value of the table (table mode), for regret. */
  optimum: number | null;
}

/** The JSON object of a finished run: final metrics of the answer and of each answer along the trajectory. */
export function buildSearchReport(options: BuildSearchReportOptions): SearchReport {
  const { spec, run } = options;
  const { space } = spec;
  const observedAt = spec.observe;
  const bestObserved = new Map<string, number>();
  for (const e of run.told) {
    if (e.fidelity !== observedAt || e.stoppedEarly) continue;
    const known = bestObserved.get(e.id);
    if (known === undefined || e.value > known) bestObserved.set(e.id, e.value);
  }
  const finals = new Map<string, number | null>();
  const finalOf = (id: string): number | null => {
    if (!finals.has(id)) finals.set(id, options.finalValue(id));
    return finals.get(id)!;
  };
  const id = run.arch === null ? null : space.id(run.arch);
  const final = id === null ? null : finalOf(id);
  return {
    space: space.name,
    dataset: spec.dataset,
    preset: spec.preset,
    mode: options.mode,
    strategy: spec.strategy,
    strategyOptions: spec.strategyOptions,
    seed: spec.seed,
    workers: spec.workers,
    budget:
      spec.budget.kind === 'SECONDS' ? { seconds: spec.budget.seconds } : { evaluations: spec.budget.evaluations },
    arch: run.arch === null ? null : space.format(run.arch),
    id,
    observed: {
      protocol: spec.fidelities[observedAt].protocol,
      metric: spec.fidelities[observedAt].metric,
      value: id === null ? null : (bestObserved.get(id) ?? null),
    },
    final: { protocol: spec.final.protocol, metric: spec.final.metric, value: final },
    regret: options.optimum === null || final === null ? null : options.optimum - final,
    evaluations: run.told.length,
    discarded: run.discarded,
    stoppedEarly: run.told.filter((e) => e.stoppedEarly).length,
    fromRecords: run.told.filter((e) => e.source === 'RECORD').length,
    seconds: run.seconds,
    wallSeconds: options.wallSeconds,
    exhausted: run.exhausted,
    trajectory: run.trajectory.map((p) => ({
      seconds: p.seconds,
      evaluations: p.evaluations,
      arch: space.format(p.arch),
      observed: bestObserved.get(p.id) ?? null,
      final: finalOf(p.id),
    })),
  };
}
