import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { PredictorEntity } from './predictor.entity';

/**
 * One predictor version's prediction for one architecture, keyed by hash so an enumerable space is ranked whole
 * without an architecture row per cell.
 */
@Entity('prediction')
// The migration orders `mean` DESC for top-k reads; TypeORM compares an index's columns, not their order.
@Index('prediction_rank_idx', ['predictorId', 'mean'])
export class PredictionEntity {
  @PrimaryColumn('integer', { name: 'predictor_id' })
  @ForeignKey(() => PredictorEntity, { name: 'prediction_predictor_id_fkey', onDelete: 'CASCADE' })
  predictorId: number;

  /** The space's identity key (`SearchSpace.id`). */
  @PrimaryColumn('text')
  hash: string;

  /** Canonical text (`SearchSpace.format`). */
  @Column('text')
  arch: string;

  /** Predicted value, in the metric's units. */
  @Column('double precision')
  mean: number;

  /** Predicted standard deviation, in the metric's units. */
  @Column('double precision')
  std: number;
}
