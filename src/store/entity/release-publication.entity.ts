import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { PublicationStatus, type PublicationStatusValue } from '../release/publication-status';
import { sqlInList } from './sql-in-list';

/** A queued `publishRelease`: its id is the pg-boss job id; the row holds what users see (status, progress, error). */
@Entity('release_publication')
@Check('release_publication_status_check', `status IN (${sqlInList(PublicationStatus)})`)
@Check('release_publication_progress_check', 'progress >= 0 AND progress <= 1')
export class ReleasePublicationEntity {
  /** The pg-boss job id. */
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  version: string;

  /** The release filter: space, dataset and protocol, null for no restriction. */
  @Column('jsonb')
  filters: Record<string, unknown>;

  @Column('text', { default: PublicationStatus.QUEUED })
  status: PublicationStatusValue;

  /** Fraction done, 0..1. */
  @Column('double precision', { default: 0 })
  progress: number;

  /** `{ code, message }` of a FAILED publication. */
  @Column('jsonb', { nullable: true })
  error: Record<string, unknown> | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()', insert: false, update: false })
  createdAt: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}
