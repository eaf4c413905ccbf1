import { Column, Entity, ForeignKey, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { SearchSpaceEntity } from './search-space.entity';

/** One imported file or release, identified by its bytes and mapping; importing it again adds nothing. */
@Entity('import_batch')
@Unique('import_batch_sha256_mapping_sha256_key', ['sha256', 'mappingSha256'])
export class ImportBatchEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('text', { name: 'file_name' })
  fileName: string;

  @Column('text')
  sha256: string;

  @Column('jsonb')
  mapping: unknown;

  @Column('text', { name: 'mapping_sha256' })
  mappingSha256: string;

  @Column('text')
  @ForeignKey(() => SearchSpaceEntity, { name: 'import_batch_space_fkey' })
  space: string;

  @Column('integer', { name: 'rows_read' })
  rowsRead: number;

  @Column('integer', { name: 'runs_added' })
  runsAdded: number;

  @Column('integer', { name: 'runs_updated' })
  runsUpdated: number;

  @Column('integer', { name: 'epochs_added' })
  epochsAdded: number;

  @Column('integer', { name: 'architectures_added' })
  architecturesAdded: number;

  /** Whether `--replace` let this batch overwrite stored values. */
  @Column('boolean', { default: false })
  replaced: boolean;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()', insert: false, update: false })
  createdAt: Date;
}
