import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The store's generation: one row, bumped (and announced by NOTIFY) as every transaction that wrote what public reads
 * read (records, curves, architectures, catalog, predictors and predictions) commits, by the triggers of migration
 * StoreGeneration. Servers keep it in memory and tag cacheable GET answers with it.
 */
@Entity('store_generation')
@Check('store_generation_id_check', 'id = 1')
export class StoreGenerationEntity {
  @PrimaryColumn('smallint', { default: 1 })
  id: number;

  @Column('bigint', { default: 0 })
  generation: string;
}

/**
 * A writing transaction's mark (its txid) that it touched what the generation covers: inserted by the first such write,
 * and removed at the transaction's commit by the deferred trigger that bumps the generation. Empty between commits.
 */
@Entity('store_generation_touch')
export class StoreGenerationTouchEntity {
  @PrimaryColumn('bigint')
  txid: string;
}
