import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Where runs imported from a release first came from: an origin of that release's manifest (`provenance.origins`),
 * kept under its content id so a re-publish writes the same `origin` column and describes it the same way.
 */
@Entity('run_origin')
export class RunOriginEntity {
  /** The origin's content id (16 hex digits of the sha256 of its description). */
  @PrimaryColumn('text')
  id: string;

  /** The description the id hashes: source, import, protocol, hardware, nashubVersion. */
  @Column('jsonb')
  origin: Record<string, unknown>;
}
