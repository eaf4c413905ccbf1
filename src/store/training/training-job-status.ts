/** The lifecycle of a training job as users see it (pg-boss keeps its own states for claiming and retries). */
export const TrainingJobStatus = {
  QUEUED: 'QUEUED',
  RUNNING: 'RUNNING',
  COMPLETED: 'COMPLETED',
  STOPPED_EARLY: 'STOPPED_EARLY',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
} as const;

/** One of {@link TrainingJobStatus}'s values. */
export type TrainingJobStatusValue = (typeof TrainingJobStatus)[keyof typeof TrainingJobStatus];

/** Statuses a job never leaves. */
export const FINISHED_JOB_STATUSES: readonly TrainingJobStatusValue[] = [
  TrainingJobStatus.COMPLETED,
  TrainingJobStatus.STOPPED_EARLY,
  TrainingJobStatus.FAILED,
  TrainingJobStatus.CANCELLED,
];

/** True when the job will not change any more. */
export function isFinishedJobStatus(status: TrainingJobStatusValue): boolean {
  return FINISHED_JOB_STATUSES.includes(status);
}
