import type { EntityManager } from 'typeorm';
import { ErrorCode, NashubError } from '../../core';

/** The training epochs of the protocol with this id; NOT_FOUND when there is none. */
export async function findProtocolEpochs(manager: EntityManager, protocolId: number): Promise<number> {
  const rows: Array<{ epochs: number }> = await manager.query('SELECT epochs FROM protocol WHERE id = $1', [
    protocolId,
  ]);
  if (rows.length === 0)
    throw new NashubError(ErrorCode.NOT_FOUND, `no protocol with id ${protocolId}`, { details: { protocolId } });
  return rows[0].epochs;
}
