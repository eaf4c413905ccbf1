import { Check, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** How runs were trained (`hp=200`, `hp=12`, a trainer's low-fidelity setting); records compare only within one. */
@Entity('protocol')
@Check('protocol_epochs_check', 'epochs > 0')
export class ProtocolEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('text', { unique: true })
  name: string;

  /** Epochs of the full schedule; a record's default epoch. */
  @Column('integer')
  epochs: number;

  /** Free-form hyper-parameters: optimiser, schedule, batch size, channels C, cells N, ... */
  @Column('jsonb', { default: {} })
  hyperparameters: Record<string, unknown>;

  @Column('text', { default: '' })
  description: string;
}
