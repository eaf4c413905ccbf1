import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ErrorCode, NashubError, getSpace, isNashubError, isPermanentError } from '../core';
import { QUEUE_RETRY_LIMIT, QueueName, QueueWorker, type ClaimedJob, type JobQueue } from '../store/queue';
import {
  PublicationStatus,
  RELEASE_NAME,
  findPublication,
  findRelease,
  insertPublication,
  publishRelease,
  updatePublication,
  type PublicationRow,
  type ReleaseFilter,
} from '../store/release';

/** The payload of a publish job. */
export interface PublishJobData {
  publicationId: string;
}

/** What to publish. */
export interface PublicationRequest {
  name: string;
  version: string;
  filters: ReleaseFilter;
}

/**
 * Queues a publication: checks the name, version and space now (INVALID_ARGUMENT, UNKNOWN_SPACE), then inserts the
 * QUEUED row and its pg-boss job in one transaction. A dataset or protocol the store lacks fails the job (FAILED with
 * UNKNOWN_DATASET or UNKNOWN_PROTOCOL), as `nashub publish` would.
 */
export async function requestReleasePublication(
  dataSource: DataSource,
  queue: JobQueue,
  request: PublicationRequest,
): Promise<PublicationRow> {
  for (const field of ['name', 'version'] as const) {
    if (!RELEASE_NAME.test(request[field]))
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `release ${field} "${request[field]}" must be 1-128 letters, digits or ._+- (starting with a letter or digit)`,
        { details: { field } },
      );
  }
  if (request.filters.space !== null) getSpace(request.filters.space);
  return dataSource.transaction(async (manager) => {
    const id = randomUUID();
    const row = await insertPublication(manager, { id, ...request });
    await queue.send<PublishJobData>(QueueName.PUBLISH_RELEASE, { publicationId: id }, { id, manager });
    return row;
  });
}

/** Options of {@link createPublishWorker}. */
export interface PublishWorkerOptions {
  dataSource: DataSource;
  queue: JobQueue;
  /** The server's release folder: the release is written to `<releasesDir>/<name>/<version>/` and served from there. */
  releasesDir: string;
  nashubVersion: string;
  pollIntervalMs?: number;
  /** A publication failed (a typed error: for good; otherwise retried while retries are left). */
  onError(error: Error, publicationId: string | null): void;
}

/** Smallest progress step written to the row (each is one UPDATE). */
const PROGRESS_STEP = 0.05;

/**
 * A worker that publishes queued releases into the server's release folder, writing status and progress to the
 * publication row as it goes. A typed error marks the row FAILED with its code and completes the job; another error
 * fails the job, which pg-boss retries (FAILED once no retry is left).
 */
export function createPublishWorker(options: PublishWorkerOptions): QueueWorker<PublishJobData> {
  const { dataSource } = options;
  return new QueueWorker<PublishJobData>({
    queue: options.queue,
    name: QueueName.PUBLISH_RELEASE,
    pollIntervalMs: options.pollIntervalMs,
    onError: (error, job) => options.onError(error, job?.data.publicationId ?? null),
    handle: async (job: ClaimedJob<PublishJobData>) => {
      const id = job.data.publicationId;
      const row = await findPublication(dataSource.manager, id);
      if (!row || (row.status !== PublicationStatus.QUEUED && row.status !== PublicationStatus.RUNNING))
        return { outcome: 'completed', output: { skipped: row?.status ?? 'MISSING' } };
      await updatePublication(dataSource.manager, id, { status: PublicationStatus.RUNNING, progress: 0 });
      let written = 0;
      const writes: Array<Promise<void>> = [];
      try {
        if (await findRelease(dataSource.manager, row.name, row.version))
          throw new NashubError(
            ErrorCode.CONFLICT,
            `release ${row.name} ${row.version} is already published; releases are immutable, publish a new version`,
            { details: { name: row.name, version: row.version } },
          );
        await publishRelease({
          dataSource,
          name: row.name,
          version: row.version,
          outDir: join(options.releasesDir, row.name, row.version),
          filter: row.filters,
          nashubVersion: options.nashubVersion,
          predecessorDir: (version) => join(options.releasesDir, row.name, version),
          onProgress: (fraction) => {
            if (fraction - written < PROGRESS_STEP) return;
            written = fraction;
            writes.push(
              updatePublication(dataSource.manager, id, { status: PublicationStatus.RUNNING, progress: fraction }),
            );
          },
        });
        await Promise.all(writes);
        await updatePublication(dataSource.manager, id, { status: PublicationStatus.PUBLISHED, progress: 1 });
        return { outcome: 'completed', output: { status: PublicationStatus.PUBLISHED } };
      } catch (error) {
        await Promise.allSettled(writes);
        if (!isPermanentError(error) && job.retryCount < QUEUE_RETRY_LIMIT[QueueName.PUBLISH_RELEASE]) throw error;
        const code = isNashubError(error) ? error.code : 'INTERNAL_SERVER_ERROR';
        const message = isNashubError(error) ? error.message : 'publishing failed; see the server log';
        options.onError(error as Error, id);
        await updatePublication(dataSource.manager, id, {
          status: PublicationStatus.FAILED,
          progress: written,
          error: { code, message },
        });
        return { outcome: 'completed', output: { status: PublicationStatus.FAILED, code } };
      }
    },
  });
}
