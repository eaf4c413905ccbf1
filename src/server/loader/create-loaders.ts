import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import {
  findArchitecturesByHash,
  findByIsoClass,
  findExternalIds,
  type StoredArchitecture,
} from '../../store/architecture/find-architectures';
import type { Catalog } from '../../store/catalog/catalog';
import type { CatalogCache } from './catalog-cache';
import { loadCurves, type CurveRequest, type CurveResult } from '../../store/record/load-curves';
import type { RecordRequest } from '../../store/record/load-records';
import type { RecordMeans, RecordMeansRequest } from '../../store/record/load-record-means';
import type { SharedRecordReads } from './shared-record-reads';
import type { RecordResult } from '../../store/record/record';
import { choosePredictor, findPredictors, type PredictorRow, type PredictorTarget } from '../../store/predictor';
import type { PredictedValue, PredictionService } from '../../predictors/serve-predictions';
import type { RunRow } from '../../store/run/list-runs';
import { findRunsById, loadRunCurves } from '../../store/training';
import { listToldTrials } from '../../store/search';
import type { SearchTrialEntity } from '../../store/entity/search-trial.entity';

/** One architecture to predict with one predictor version. */
export interface PredictionKey {
  predictor: PredictorRow;
  hash: string;
  /** The parsed architecture. */
  arch: unknown;
}

/** The per-request DataLoaders: every field that needs the database batches through one of these. */
export interface Loaders {
  /** Datasets and protocols (shared by the process; see CatalogCache). */
  catalog(): Promise<Catalog>;
  /** Reads the catalog again: before calling a name unknown, and after changing it (concurrent calls share one read). */
  refreshCatalog(): Promise<Catalog>;
  /** Stored architecture by `space \0 hash`, or null. */
  architecture: DataLoader<string, StoredArchitecture | null>;
  /** Records by (space, hash, dataset, protocol, epoch, seed choice): an architecture not stored has none. */
  record: DataLoader<RecordRequest, RecordResult | null, string>;
  /**
   * MEAN records at the protocol's last epoch from the kept seed means (values only: no stds, seeds or counts), by
   * (space, hash, dataset, protocol): what `record` reads when its selection needs nothing else.
   */
  recordMeans: DataLoader<RecordMeansRequest, RecordMeans | null, string>;
  /** The same reads for a whole list at once: one promise, not one per item (see `prefetchRecordMeans`). */
  recordMeansMany(requests: readonly RecordMeansRequest[]): Promise<Array<RecordMeans | null>>;
  curve: DataLoader<CurveRequest, CurveResult | null, string>;
  /** Stored architectures by `space \0 isoClass`. */
  isomorphs: DataLoader<string, StoredArchitecture[]>;
  /** External ids by architecture id. */
  externalIds: DataLoader<number, Record<string, string>>;
  /** A run's curve by run id, whatever the run's status (a training job's curve so far). */
  runCurve: DataLoader<number, CurveResult | null>;
  /** Run rows by id, whatever their status. */
  runById: DataLoader<number, RunRow | null>;
  /** Predictor rows by id, or null. */
  predictorById: DataLoader<number, PredictorRow | null>;
  /** The predictor that serves a target (see `choosePredictor`), or null. */
  servingPredictor: DataLoader<PredictorTarget, PredictorRow | null, string>;
  /** Predictions, batched per predictor version (and MAX_BATCH keys): the cache first, then one forward pass for the rest. */
  prediction: DataLoader<PredictionKey, PredictedValue, string>;
  /**
   * A search run's TOLD trials in tell order, by run id: read once per batch, however many of the run's fields
   * (`budgetUsed`, `best`, `trajectory`) ask in it, so they answer from the same trials.
   */
  toldTrials: DataLoader<number, SearchTrialEntity[]>;
}

/**
 * Most keys in one batch, so one SQL statement. On PGlite a statement runs on the server's thread and nothing
 * interrupts it: a 10,000-key load is ten statements with turns of the event loop between them.
 */
const MAX_BATCH = 1_000;

/** Groups `space \0 key` loader keys by space. */
function bySpace(keys: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const key of keys) {
    const [space, rest] = key.split('\u0000');
    const list = out.get(space);
    if (list) list.push(rest);
    else out.set(space, [rest]);
  }
  return out;
}

/** Options of {@link createLoaders}. */
export interface CreateLoadersOptions {
  manager: EntityManager;
  catalog: CatalogCache;
  predictions: PredictionService;
  /** The process's record reads, which batches of concurrent requests share. */
  recordReads: SharedRecordReads<RecordRequest, RecordResult | null>;
  /** The process's reads of kept seed means, likewise shared. */
  recordMeanReads: SharedRecordReads<RecordMeansRequest, RecordMeans | null>;
  /** When each batch is dispatched: the request budget's, so batches wait for resolvers that wait for a turn. */
  batchScheduleFn: (dispatch: () => void) => void;
}

/**
 * Builds a fresh set of loaders for one request. Each loader is made the first time the request's fields read it: a
 * request uses one or two of them (a mutation none), and every one made is garbage once the request is answered.
 */
export function createLoaders(options: CreateLoadersOptions): Loaders {
  return new RequestLoaders(options);
}

/** The loaders of one request, each made on first use. */
class RequestLoaders implements Loaders {
  // Every item of a 10,000-architecture batch that names an unknown dataset asks for a refresh at once: they share the
  // one in flight, or a cheap request would send 10,000 catalog reads and take the connection pool.
  private refreshing: Promise<Catalog> | null = null;
  /** The loaders made so far: every member of {@link Loaders} but the catalog's and the shared record reads. */
  private made: Partial<Omit<Loaders, 'catalog' | 'refreshCatalog' | 'recordMeansMany'>> = {};

  constructor(private readonly options: CreateLoadersOptions) {}

  catalog(): Promise<Catalog> {
    return this.options.catalog.get();
  }

  refreshCatalog(): Promise<Catalog> {
    if (!this.refreshing) {
      const started = this.options.catalog.refresh();
      const settled = () => {
        if (this.refreshing === started) this.refreshing = null;
      };
      started.then(settled, settled);
      this.refreshing = started;
    }
    return this.refreshing;
  }

  get architecture(): Loaders['architecture'] {
    const { manager, batchScheduleFn } = this.options;
    return (this.made.architecture ??= new DataLoader(
      async (keys) => {
        const found = new Map<string, StoredArchitecture>();
        for (const [space, hashes] of bySpace(keys)) {
          for (const [hash, row] of await findArchitecturesByHash(manager, space, hashes))
            found.set(`${space}\u0000${hash}`, row);
        }
        return keys.map((key) => found.get(key) ?? null);
      },
      { maxBatchSize: MAX_BATCH, batchScheduleFn },
    ));
  }

  // Unbounded batches: loadRecords sends a statement per 1,000 distinct architectures of a dataset and protocol, so
  // several record fields of one list (seed choices, an estimate) share their statements, and the batches of
  // concurrent requests share them too (SharedRecordReads).
  // No cache, so no key string per item: loadRecords reads each architecture of a group once however often it is
  // asked for, and a record asked for twice in a request is computed twice from the same runs.
  get record(): Loaders['record'] {
    const { recordReads, batchScheduleFn } = this.options;
    return (this.made.record ??= new DataLoader((requests) => recordReads.load(requests), {
      batchScheduleFn,
      cache: false,
    }));
  }

  get recordMeans(): Loaders['recordMeans'] {
    const { recordMeanReads, batchScheduleFn } = this.options;
    return (this.made.recordMeans ??= new DataLoader((requests) => recordMeanReads.load(requests), {
      batchScheduleFn,
      cache: false,
    }));
  }

  recordMeansMany(requests: readonly RecordMeansRequest[]): Promise<Array<RecordMeans | null>> {
    return this.options.recordMeanReads.load(requests);
  }

  get curve(): Loaders['curve'] {
    const { manager, batchScheduleFn } = this.options;
    return (this.made.curve ??= new DataLoader((requests) => loadCurves(manager, requests), {
      maxBatchSize: MAX_BATCH,
      batchScheduleFn,
      cacheKeyFn: (r) => `${r.architectureId}:${r.datasetId}:${r.protocolId}:${r.seed}`,
    }));
  }

  get isomorphs(): Loaders['isomorphs'] {
    const { manager, batchScheduleFn } = this.options;
    return (this.made.isomorphs ??= new DataLoader(
      async (keys) => {
        const out = new Map<string, StoredArchitecture[]>();
        for (const [space, isos] of bySpace(keys)) {
          for (const [iso, rows] of await findByIsoClass(manager, space, isos)) out.set(`${space}\u0000${iso}`, rows);
        }
        return keys.map((key) => out.get(key) ?? []);
      },
      { maxBatchSize: MAX_BATCH, batchScheduleFn },
    ));
  }

  get externalIds(): Loaders['externalIds'] {
    const { manager, batchScheduleFn } = this.options;
    return (this.made.externalIds ??= new DataLoader(
      async (ids) => {
        const found = await findExternalIds(manager, ids);
        return ids.map((id) => found.get(id) ?? {});
      },
      { maxBatchSize: MAX_BATCH, batchScheduleFn },
    ));
  }

  get runCurve(): Loaders['runCurve'] {
    const { manager, batchScheduleFn } = this.options;
    return (this.made.runCurve ??= new DataLoader(
      async (ids) => {
        const found = await loadRunCurves(manager, ids);
        return ids.map((id) => found.get(id) ?? null);
      },
      { batchScheduleFn },
    ));
  }

  get runById(): Loaders['runById'] {
    const { manager, batchScheduleFn } = this.options;
    return (this.made.runById ??= new DataLoader(
      async (ids) => {
        const found = await findRunsById(manager, ids);
        return ids.map((id) => found.get(id) ?? null);
      },
      { batchScheduleFn },
    ));
  }

  get predictorById(): Loaders['predictorById'] {
    const { manager, batchScheduleFn } = this.options;
    return (this.made.predictorById ??= new DataLoader(
      async (ids) => {
        const found = await findPredictors(manager, ids);
        return ids.map((id) => found.get(id) ?? null);
      },
      { batchScheduleFn },
    ));
  }

  get servingPredictor(): Loaders['servingPredictor'] {
    const { manager, batchScheduleFn } = this.options;
    return (this.made.servingPredictor ??= new DataLoader(
      (targets) => Promise.all(targets.map((t) => choosePredictor(manager, t))),
      {
        batchScheduleFn,
        cacheKeyFn: (t) => JSON.stringify([t.space, t.datasetId, t.protocolId, t.metric, t.epoch, t.kind ?? null]),
      },
    ));
  }

  get prediction(): Loaders['prediction'] {
    const { predictions, batchScheduleFn } = this.options;
    return (this.made.prediction ??= new DataLoader(
      async (keys) => {
        const byPredictor = new Map<number, PredictionKey[]>();
        for (const key of keys) {
          const list = byPredictor.get(key.predictor.id);
          if (list) list.push(key);
          else byPredictor.set(key.predictor.id, [key]);
        }
        const results = new Map<string, PredictedValue>();
        for (const [id, list] of byPredictor) {
          const values = await predictions.predict(list[0].predictor, list);
          for (const [hash, value] of values) results.set(`${id}:${hash}`, value);
        }
        return keys.map((k) => results.get(`${k.predictor.id}:${k.hash}`) ?? new Error(`no prediction for ${k.hash}`));
      },
      { maxBatchSize: MAX_BATCH, batchScheduleFn, cacheKeyFn: (k) => `${k.predictor.id}:${k.hash}` },
    ));
  }

  // No cache: a subscription's context (and so its loaders) lives as long as the subscription, and each event reads
  // the run as it stands then. The fields of one run ask in the same turn, so one batch still reads them once.
  get toldTrials(): Loaders['toldTrials'] {
    const { manager, batchScheduleFn } = this.options;
    return (this.made.toldTrials ??= new DataLoader(
      async (ids) => {
        const found = await listToldTrials(manager, [...new Set(ids)]);
        return ids.map((id) => found.get(id) ?? []);
      },
      { maxBatchSize: MAX_BATCH, batchScheduleFn, cache: false },
    ));
  }
}
