/** The lifecycle of a queued release publication. */
export const PublicationStatus = {
  QUEUED: 'QUEUED',
  RUNNING: 'RUNNING',
  PUBLISHED: 'PUBLISHED',
  FAILED: 'FAILED',
} as const;

/** One of {@link PublicationStatus}'s values. */
export type PublicationStatusValue = (typeof PublicationStatus)[keyof typeof PublicationStatus];
