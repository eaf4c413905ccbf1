import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A dataset runs are trained on (`cifar10-valid`, `fashion-mnist`, ...). */
@Entity('dataset')
export class DatasetEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('text', { unique: true })
  name: string;

  @Column('integer', { name: 'num_classes', nullable: true })
  numClasses: number | null;

  @Column('text', { default: '' })
  description: string;
}
