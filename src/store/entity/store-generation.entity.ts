import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The store's generation: one row, bumped (and announced by NOTIFY) in the transaction of every statement that writes
 * what public reads read (records, curves, architectures, catalog, predictors and predictions), by the triggers of
 * migration StoreGeneration. Servers keep it in memory and tag cacheable GET answers with it.
 */
@Entity('store_generation')
@Check('store_generation_id_check', 'id = 1')
export class StoreGenerationEntity {
  @PrimaryColumn('smallint', { default: 1 })
  id: number;

  @Column('bigint', { default: 0 })
  generation: string;
}
