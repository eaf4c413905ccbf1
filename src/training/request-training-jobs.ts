import type { DataSource } from 'typeorm';
import { ErrorCode, NashubError, getSpace, isNashubError, type SearchSpace } from '../core';
import { resolveRecordTarget, type CatalogSource } from '../catalog';
import type { JobQueue } from '../store/queue';
import { requestTraining, type TrainingArchitecture, type TrainingRequestEntry } from '../store/training';
import { checkNetworkFits, checkTrainable, checkTrainableSpace } from './check-trainable';

const MAX_SEED = 2 ** 31 - 1;

/** What a caller asks to have trained: names as a user writes them. */
export interface TrainingJobsRequest {
  space: string;
  /** Architecture texts in any form the space parses. */
  archs: readonly string[];
  dataset: string;
  /** A trainer protocol of the dataset (imported benchmark protocols cannot be trained). */
  protocol: string;
  /** Training seeds (default [0]); one job per (architecture, seed). */
  seeds?: readonly number[] | null;
  /** pg-boss priority, higher first (default 0). */
  priority?: number | null;
  /** The API key's name (or the CLI user) recorded on each job. */
  requestedBy: string | null;
}

/** Where and within which limits {@link requestTrainingJobs} works. */
export interface TrainingJobsOptions {
  dataSource: DataSource;
  queue: JobQueue;
  /** Name lookups: the server's cache, or `storeCatalog(manager)` for the CLI. */
  catalog: CatalogSource;
  /** Most (architecture × seed) jobs one request may ask for (LIMIT_EXCEEDED above it). */
  maxJobs: number;
}

/** One requested (architecture, seed), in request order (architecture-major, then seeds). */
export interface RequestedTrainingJob extends TrainingRequestEntry {
  /** The index of its architecture in the request's `archs`. */
  archIndex: number;
}

/**
 * The one way training is requested (GraphQL `requestTraining` and `nashub train` call this): checks everything
 * before anything is queued (a trainable space, parsable architectures, a trainer protocol of the dataset, networks
 * the protocol's channels can hold, seeds), then queues one job per (architecture, seed) in one transaction.
 * Idempotent: finished runs come back with their run id and no job; a pending job for the same key is returned with
 * isNew false. Errors: UNKNOWN_SPACE, UNKNOWN_DATASET, UNKNOWN_PROTOCOL, INVALID_ARCHITECTURE (details.index),
 * INVALID_ARGUMENT, LIMIT_EXCEEDED.
 */
export async function requestTrainingJobs(
  request: TrainingJobsRequest,
  options: TrainingJobsOptions,
): Promise<RequestedTrainingJob[]> {
  const space = getSpace(request.space);
  checkTrainableSpace(space.name);
  const seeds = request.seeds ?? [0];
  if (request.archs.length === 0)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'archs is empty', { details: { argument: 'archs' } });
  checkJobCount(options.maxJobs, request.archs.length);
  checkSeeds(seeds);
  checkJobCount(options.maxJobs, request.archs.length * seeds.length);
  const parsed = request.archs.map((text, index) => parseAt(space, text, index));
  const target = await resolveRecordTarget(options.catalog, {
    space: space.name,
    dataset: request.dataset,
    protocol: request.protocol,
  });
  checkTrainable(target.dataset, target.protocol);
  parsed.forEach((arch, index) => checkNetworkFits(space.name, arch, target.protocol, index));

  const architectures: TrainingArchitecture[] = parsed.map((arch) => {
    const cost = space.cost(arch);
    return {
      hash: space.id(arch),
      arch: space.format(arch),
      isoClass: space.isoClass(arch),
      paramsM: cost.paramsM,
      flopsM: cost.flopsM,
    };
  });
  const entries = await requestTraining(options.dataSource, options.queue, {
    space: space.name,
    architectures,
    datasetId: target.dataset.id,
    protocolId: target.protocol.id,
    totalEpochs: target.protocol.epochs,
    seeds,
    priority: request.priority ?? 0,
    requestedBy: request.requestedBy,
  });
  return entries.map((entry, i) => ({ ...entry, archIndex: Math.floor(i / seeds.length) }));
}

function checkJobCount(max: number, actual: number): void {
  if (actual > max)
    throw new NashubError(ErrorCode.LIMIT_EXCEEDED, `maxArchs limit exceeded: ${actual} > ${max}`, {
      details: { limit: 'maxArchs', max, actual },
    });
}

/** Parses the i-th architecture; INVALID_ARCHITECTURE names the index. */
function parseAt(space: SearchSpace, text: string, index: number): unknown {
  try {
    return space.parse(text);
  } catch (error) {
    if (!isNashubError(error)) throw error;
    throw new NashubError(error.code, `archs[${index}]: ${error.message}`, {
      details: { ...error.details, index },
      cause: error,
    });
  }
}

function checkSeeds(seeds: readonly number[]): void {
  if (seeds.length === 0)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'seeds is empty; omit it for seed 0', {
      details: { argument: 'seeds' },
    });
  seeds.forEach((seed, index) => {
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `seeds[${index}] must be in 0..${MAX_SEED}, got ${seed}`, {
        details: { argument: 'seeds', index, value: seed },
      });
    }
  });
  if (new Set(seeds).size !== seeds.length)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'seeds has duplicates', { details: { argument: 'seeds' } });
}
