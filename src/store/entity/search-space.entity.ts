import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A registered search space; rows mirror core's registry so architectures can reference them. */
@Entity('search_space')
export class SearchSpaceEntity {
  @PrimaryColumn('text')
  name: string;

  @Column('text')
  title: string;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()', insert: false, update: false })
  createdAt: Date;
}
