import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An id an architecture has in someone else's table, e.g. scheme `nb201-index`. */
@Entity('architecture_external_id')
export class ArchitectureExternalIdEntity {
  @PrimaryColumn('text')
  scheme: string;

  @PrimaryColumn('text', { name: 'external_id' })
  externalId: string;

  @Column('integer', { name: 'architecture_id' })
  architectureId: number;
}
