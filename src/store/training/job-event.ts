import type { EntityManager } from 'typeorm';
import type { TrainingJobStatusValue } from './training-job-status';

/** The PostgreSQL channel that carries {@link JobEvent}s, so every server process can feed its subscriptions. */
export const JOB_EVENT_CHANNEL = 'nashub_job';

/** What happened to a job. */
export const JobEventKind = {
  /** The job as it stood when a subscription started (sent by the server, never NOTIFYed). */
  SNAPSHOT: 'SNAPSHOT',
  /** A worker claimed it (first start, a retry, or a resume). */
  STARTED: 'STARTED',
  /** An epoch finished and was written. */
  EPOCH: 'EPOCH',
  /** A stopping worker gave it back between epochs; it waits for the next worker. */
  RELEASED: 'RELEASED',
  /** An attempt failed and pg-boss will retry it. */
  RETRYING: 'RETRYING',
  /** It reached a final status (COMPLETED, STOPPED_EARLY, FAILED, CANCELLED). */
  FINISHED: 'FINISHED',
} as const;

/** One of {@link JobEventKind}'s values. */
export type JobEventKindValue = (typeof JobEventKind)[keyof typeof JobEventKind];

/** One finished epoch (accuracies in percent, losses as cross-entropy, seconds of wall time). */
export interface JobEpochMetrics {
  /** 1-based. */
  epoch: number;
  trainLoss: number;
  trainAcc: number;
  validLoss: number;
  validAcc: number;
  testLoss: number;
  testAcc: number;
  seconds: number;
}

/** The payload of a NOTIFY on {@link JOB_EVENT_CHANNEL} (well under PostgreSQL's 8000-byte limit). */
export interface JobEvent {
  jobId: string;
  kind: JobEventKindValue;
  status: TrainingJobStatusValue;
  epochsDone: number;
  totalEpochs: number;
  /** The epoch just written (kind EPOCH). */
  epoch: JobEpochMetrics | null;
  error: string | null;
  /** When the event was written (ISO 8601). */
  at: string;
}

/** Queues the event for delivery when the caller's transaction commits (PostgreSQL delivers NOTIFY at commit). */
export async function notifyJobEvent(manager: EntityManager, event: Omit<JobEvent, 'at'>): Promise<void> {
  const payload: JobEvent = { ...event, error: event.error?.slice(0, 2000) ?? null, at: new Date().toISOString() };
  await manager.query('SELECT pg_notify($1, $2)', [JOB_EVENT_CHANNEL, JSON.stringify(payload)]);
}

/** Parses a NOTIFY payload; null when it is not a job event (another writer on the channel). */
export function parseJobEvent(payload: string): JobEvent | null {
  try {
    const value = JSON.parse(payload) as Partial<JobEvent>;
    if (typeof value.jobId !== 'string' || typeof value.kind !== 'string' || typeof value.status !== 'string')
      return null;
    return value as JobEvent;
  } catch {
    return null;
  }
}
