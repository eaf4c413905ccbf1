import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { ArchitectureEntity } from './architecture.entity';

/** An id an architecture has in someone else's table, e.g. scheme `nb201-index`. */
@Entity('architecture_external_id')
export class ArchitectureExternalIdEntity {
  @PrimaryColumn('text')
  scheme: string;

  @PrimaryColumn('text', { name: 'external_id' })
  externalId: string;

  @Column('integer', { name: 'architecture_id' })
  @ForeignKey(() => ArchitectureEntity, { name: 'architecture_external_id_architecture_id_fkey', onDelete: 'CASCADE' })
  @Index('architecture_external_id_arch_idx')
  architectureId: number;
}
