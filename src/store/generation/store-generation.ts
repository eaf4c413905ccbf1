import type { EntityManager } from 'typeorm';

/** The NOTIFY channel of generation bumps; the payload is the new generation, in decimal. */
export const STORE_GENERATION_CHANNEL = 'nashub_store_generation';

/** The committed generation (a bigint, as a decimal string). */
export async function readStoreGeneration(manager: EntityManager): Promise<bigint> {
  const rows: Array<{ generation: string }> = await manager.query(
    'SELECT generation FROM store_generation WHERE id = 1',
  );
  return BigInt(rows[0]?.generation ?? 0);
}
