import type { EntityManager } from 'typeorm';
import { ErrorCode, NashubError } from '../../core';
import type { ProtocolDeclaration } from './import-mapping';

/**
 * Creates the protocols a mapping declares (a stored one must have the same epochs) and returns the epochs of every
 * stored protocol by name.
 */
export async function upsertProtocols(
  manager: EntityManager,
  declared: Record<string, ProtocolDeclaration>,
): Promise<Map<string, number>> {
  for (const [name, decl] of Object.entries(declared)) {
    await manager.query(
      `INSERT INTO protocol (name, epochs, hyperparameters, description) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING`,
      [name, decl.epochs, JSON.stringify(decl.hyperparameters ?? {}), decl.description ?? ''],
    );
  }
  const rows: Array<{ name: string; epochs: number }> = await manager.query('SELECT name, epochs FROM protocol');
  const epochs = new Map(rows.map((r) => [r.name, r.epochs]));
  for (const [name, decl] of Object.entries(declared)) {
    if (epochs.get(name) !== decl.epochs) {
      throw new NashubError(
        ErrorCode.MAPPING_INVALID,
        `protocol ${name} is stored with ${epochs.get(name)} epochs; the mapping declares ${decl.epochs}`,
        {
          details: { field: `protocols.${name}.epochs` },
        },
      );
    }
  }
  return epochs;
}
