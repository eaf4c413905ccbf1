import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** An immutable, versioned export of part of the store. */
@Entity('release')
@Unique('release_name_version_key', ['name', 'version'])
export class ReleaseEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('text')
  name: string;

  @Column('text')
  version: string;

  /** manifest.json as written. */
  @Column('jsonb')
  manifest: Record<string, unknown>;

  /** sha256 over the data files' sha256s, in file-name order: same content, same value. */
  @Column('text', { name: 'content_sha256' })
  contentSha256: string;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()', insert: false, update: false })
  createdAt: Date;
}
