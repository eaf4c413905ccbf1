import { createRng, ErrorCode, NashubError, TRAINABLE_SPACES, isTrainableSpace } from '../../core';
import { checkTrainable } from '../../training/check-trainable';
import type { Store } from '../../store';
import { findDataset, findProtocol, storeCatalog } from '../../catalog';
import type { DatasetRow, ProtocolRow } from '../../store/catalog/catalog';
import type { EntityManager } from 'typeorm';
import type { JobQueue } from '../../store/queue';
import { loadProtocolValues } from '../../store/search';
import { loadStoredForecaster } from '../evaluator/stored-forecaster';
import { TrainingEvaluator, type SearchEarlyStopping, type TrainingFidelity } from '../evaluator/training-evaluator';
import { createStrategy } from '../strategy';
import { buildSearchReport } from './build-search-report';
import { runSearch, type SearchProgress } from './run-search';
import { SearchMode, type SearchReport } from './search-report';
import type { SearchSpec } from './search-spec';

/** Options of {@link runTrainingSearch}. */
export interface RunTrainingSearchOptions {
  store: Store;
  queue: JobQueue;
  spec: SearchSpec;
  /** Seed of every training job (the strategy's seed is the spec's). */
  trainingSeed: number;
  /** Curve-forecast early stopping of the run's jobs, or null. */
  earlyStopping: SearchEarlyStopping | null;
  /** How often running jobs are read (milliseconds). */
  pollMs: number;
  /** pg-boss priority of the run's jobs. */
  priority: number;
  requestedBy: string | null;
  onProgress?(progress: SearchProgress): void;
  /** Stops the run: it returns what it has and cancels its unfinished jobs. */
  signal?: AbortSignal;
}

/** A training search's dataset, its fidelities as trainer protocols with their forecasters, and its final protocol. */
export interface TrainingTargets {
  dataset: DatasetRow;
  fidelities: TrainingFidelity[];
  finalProtocol: ProtocolRow;
}

/**
 * Resolves what a training search trains: UNKNOWN_DATASET, UNKNOWN_PROTOCOL, and INVALID_ARGUMENT for a protocol that
 * is not a trainer protocol of the dataset (`checkTrainable`). Loads each protocol's early-stopping forecaster.
 */
export async function loadTrainingFidelities(
  manager: EntityManager,
  spec: Pick<SearchSpec, 'space' | 'dataset' | 'fidelities' | 'final'>,
): Promise<TrainingTargets> {
  const catalog = storeCatalog(manager);
  const dataset = await findDataset(catalog, spec.dataset);
  const protocolOf = async (name: string): Promise<ProtocolRow> => {
    const protocol = await findProtocol(catalog, name);
    checkTrainable(dataset, protocol);
    return protocol;
  };
  const fidelities: TrainingFidelity[] = [];
  for (const fidelity of spec.fidelities) {
    const protocol = await protocolOf(fidelity.protocol);
    const forecaster = await loadStoredForecaster(manager, {
      space: spec.space.name,
      datasetId: dataset.id,
      protocolId: protocol.id,
    });
    fidelities.push({
      protocol: protocol.name,
      protocolId: protocol.id,
      epochs: protocol.epochs,
      metric: fidelity.metric,
      forecaster,
    });
  }
  return { dataset, fidelities, finalProtocol: await protocolOf(spec.final.protocol) };
}

/**
 * A real search: strategies ask, architectures without a record are trained by whatever `nashub trainer` serves the
 * queue, and the run waits for them. Checked before anything is queued: the space is trainable, the dataset and
 * protocols exist (UNKNOWN_DATASET, UNKNOWN_PROTOCOL), and every protocol is a trainer protocol of that dataset
 * (INVALID_ARGUMENT; the rule of the server's `checkTrainable`), which NAS-Bench-201's imported hp=12 / hp=200 are not.
 */
export async function runTrainingSearch(options: RunTrainingSearchOptions): Promise<SearchReport> {
  const { spec, store } = options;
  const { space } = spec;
  if (!isTrainableSpace(space.name)) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `training mode needs a space the trainer builds (${TRAINABLE_SPACES.join(', ')}), not ${space.name}`,
      { details: { option: 'mode', space: space.name } },
    );
  }
  const manager = store.dataSource.manager;
  const { dataset, fidelities, finalProtocol } = await loadTrainingFidelities(manager, spec);

  const wallStart = performance.now();
  const evaluator = new TrainingEvaluator<unknown>({
    dataSource: store.dataSource,
    queue: options.queue,
    space,
    datasetId: dataset.id,
    fidelities,
    defaultFidelity: spec.observe,
    trainingSeed: options.trainingSeed,
    priority: options.priority,
    requestedBy: options.requestedBy,
    pollMs: options.pollMs,
    earlyStopping: options.earlyStopping,
  });
  const strategy = createStrategy(
    spec.strategy,
    { space, rng: createRng(spec.seed), fidelities: evaluator.fidelities, defaultFidelity: spec.observe },
    spec.strategyOptions,
  );
  const run = await runSearch({
    space,
    strategy,
    evaluator,
    budget: spec.budget,
    workers: spec.workers,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  const ids = [...new Set([...(run.arch === null ? [] : [space.id(run.arch)]), ...run.trajectory.map((p) => p.id)])];
  const finals = new Map(
    (
      await loadProtocolValues(manager, {
        space: space.name,
        datasetId: dataset.id,
        protocolId: finalProtocol.id,
        metric: spec.final.metric,
        hashes: ids,
      })
    ).map((v) => [v.hash, v.value]),
  );
  const report = buildSearchReport({
    spec,
    run,
    mode: SearchMode.TRAINING,
    wallSeconds: (performance.now() - wallStart) / 1000,
    finalValue: (id) => finals.get(id) ?? null,
    optimum: null,
  });
  return { ...report, failed: evaluator.failed };
}
