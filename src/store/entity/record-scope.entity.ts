import { Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { DatasetEntity } from './dataset.entity';
import { ProtocolEntity } from './protocol.entity';
import { SearchSpaceEntity } from './search-space.entity';

/**
 * A protocol that has records (COMPLETE runs) for a (space, dataset): where a dataset's default protocol is chosen.
 * Written only by the migration's statement-level triggers on `run` (TypeORM does not model triggers).
 */
@Entity('record_scope')
export class RecordScopeEntity {
  @PrimaryColumn('text')
  @ForeignKey(() => SearchSpaceEntity, { name: 'record_scope_space_fkey' })
  space: string;

  @PrimaryColumn('integer', { name: 'dataset_id' })
  @ForeignKey(() => DatasetEntity, { name: 'record_scope_dataset_id_fkey' })
  datasetId: number;

  @PrimaryColumn('integer', { name: 'protocol_id' })
  @ForeignKey(() => ProtocolEntity, { name: 'record_scope_protocol_id_fkey' })
  protocolId: number;
}
