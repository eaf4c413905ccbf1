import { getSpace } from '../../core';
import type { SearchTrialEntity } from '../../store/entity/search-trial.entity';
import type { SearchRunRow } from '../../store/search';
import type { SearchAskResult, StoredFidelity } from '../../search/service';
import { ArchitectureNode } from '../architecture/architecture-node';
import type { SearchAskType, SearchRunType, SearchTrialType } from './search-run.type';

/** A run as GraphQL serves it; `row` is what its field resolvers read. */
export type SearchRunView = SearchRunType & { row: SearchRunRow };

/** The GraphQL view of a stored run. */
export function toSearchRunView(row: SearchRunRow): SearchRunView {
  const fidelities = row.fidelities as StoredFidelity[];
  return {
    id: String(row.id),
    space: row.space,
    dataset: row.dataset,
    preset: row.preset,
    observeProtocol: fidelities[row.observe].protocol,
    finalProtocol: row.finalProtocol,
    strategy: row.strategy,
    strategyOptions: row.strategyOptions,
    seed: Number(row.seed),
    mode: row.mode,
    status: row.status,
    budgetSeconds: row.budgetSeconds,
    budgetEvaluations: row.budgetEvaluations,
    leaseSeconds: row.leaseSeconds,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    row,
  };
}

/** The GraphQL view of a stored trial of `run`. */
export function toSearchTrialView(run: SearchRunRow, trial: SearchTrialEntity): SearchTrialType {
  const fidelity = (run.fidelities as StoredFidelity[])[trial.fidelity];
  return {
    id: String(trial.id),
    runId: String(trial.runId),
    number: trial.number,
    architecture: ArchitectureNode.fromText(getSpace(run.space), trial.arch),
    protocol: fidelity.protocol,
    epochs: fidelity.epochs,
    state: trial.state,
    value: trial.value,
    cost: trial.cost,
    curve: trial.curve,
    worker: trial.worker,
    leaseExpiresAt: trial.leaseExpiresAt,
    askedAt: trial.askedAt,
    toldAt: trial.toldAt,
    reason: trial.reason,
    retryOf: trial.retryOf === null ? null : String(trial.retryOf),
    simulated: trial.simulatedValue === null ? null : { value: trial.simulatedValue, cost: trial.simulatedCost },
  };
}

/** The GraphQL view of an ask's answer. */
export function toSearchAskView(result: SearchAskResult): SearchAskType {
  return {
    trials: result.trials.map((t) => toSearchTrialView(result.run!, t)),
    finished: result.finished,
    retryAfterSeconds: result.retryAfterSeconds,
  };
}
