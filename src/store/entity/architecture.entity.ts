import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { SearchSpaceEntity } from './search-space.entity';

/** A canonical member of a search space, stored once per (space, hash). */
@Entity('architecture')
@Unique('architecture_space_hash_key', ['space', 'hash'])
@Index('architecture_iso_class_idx', ['space', 'isoClass'])
export class ArchitectureEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('text')
  @ForeignKey(() => SearchSpaceEntity, { name: 'architecture_space_fkey' })
  space: string;

  /** The space's identity key (`SearchSpace.id`). */
  @Column('text')
  hash: string;

  /** Canonical text (`SearchSpace.format`). */
  @Column('text')
  arch: string;

  @Column('text', { name: 'iso_class' })
  isoClass: string;

  /** Parameters in millions for the space's default macro. */
  @Column('double precision', { name: 'params_m', nullable: true })
  paramsM: number | null;

  /** FLOPs (multiply-accumulates) in millions for the space's default macro. */
  @Column('double precision', { name: 'flops_m', nullable: true })
  flopsM: number | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()', insert: false, update: false })
  createdAt: Date;
}
