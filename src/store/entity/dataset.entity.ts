import { Check, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A dataset runs are trained on (`cifar10-valid`, `fashion-mnist`, ...). */
@Entity('dataset')
@Check('dataset_num_classes_check', 'num_classes > 0')
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
