import type { EntityManager } from 'typeorm';
import { checkJsonText, checkName, checkText } from '../../core';
import { DatasetEntity } from '../entity/dataset.entity';
import { ProtocolEntity } from '../entity/protocol.entity';
import { hydrate } from '../hydrate';

/** A dataset as the API shows it: its entity. */
export type DatasetRow = DatasetEntity;

/** A protocol as the API shows it: its entity. */
export type ProtocolRow = ProtocolEntity;

/** Datasets and protocols: small tables a request loads once. */
export interface Catalog {
  datasets: DatasetRow[];
  protocols: ProtocolRow[];
  datasetByName: Map<string, DatasetRow>;
  protocolByName: Map<string, ProtocolRow>;
  /** Protocols with records (COMPLETE runs), by `space \0 datasetId` and by `datasetId` (any space): `record_scope`. */
  protocolsWithRecords: Map<string, ProtocolRow[]>;
}

/** The key of {@link Catalog.protocolsWithRecords}: `space \0 datasetId`, or the dataset id alone for any space. */
function scopeKey(space: string | null, datasetId: number): string {
  return space === null ? String(datasetId) : `${space}\u0000${datasetId}`;
}

/** Loads every dataset and protocol in one statement. */
export async function loadCatalog(manager: EntityManager): Promise<Catalog> {
  const rows: Array<Record<string, unknown> & { kind: 'd' | 'p' }> = await manager.query(
    `SELECT 'd' AS kind, id, name, num_classes, NULL::int AS epochs, NULL::jsonb AS hyperparameters, description FROM dataset
     UNION ALL
     SELECT 'p', id, name, NULL, epochs, hyperparameters, description FROM protocol
     ORDER BY kind, name`,
  );
  // Each side's rows carry the other's columns as NULL; hydrate maps only the entity's own.
  const datasets = hydrate(
    manager,
    DatasetEntity,
    rows.filter((r) => r.kind === 'd'),
  );
  const protocols = hydrate(
    manager,
    ProtocolEntity,
    rows.filter((r) => r.kind === 'p'),
  );
  // Read after the protocols: a scope row names a protocol created before its runs, so it is always in the list above.
  const scopes: Array<{ space: string; dataset_id: number; protocol_id: number }> = await manager.query(
    'SELECT space, dataset_id, protocol_id FROM record_scope',
  );
  const protocolById = new Map(protocols.map((p) => [p.id, p]));
  const protocolsWithRecords = new Map<string, ProtocolRow[]>();
  for (const scope of scopes) {
    const protocol = protocolById.get(scope.protocol_id);
    if (!protocol) continue;
    for (const key of [scopeKey(scope.space, scope.dataset_id), scopeKey(null, scope.dataset_id)]) {
      const list = protocolsWithRecords.get(key);
      if (!list) protocolsWithRecords.set(key, [protocol]);
      else if (!list.includes(protocol)) list.push(protocol);
    }
  }
  return {
    datasets,
    protocols,
    datasetByName: new Map(datasets.map((d) => [d.name, d])),
    protocolByName: new Map(protocols.map((p) => [p.name, p])),
    protocolsWithRecords,
  };
}

/** Most characters of a protocol's hyperparameters as JSON. */
const MAX_HYPERPARAMETERS_LENGTH = 65_536;

/**
 * Creates a protocol, or returns the stored one when it has the same epochs; CONFLICT-free callers check epochs.
 * The name follows the one name rule and is stored exactly as given; the description and hyperparameters are checked
 * as stored text (INVALID_ARGUMENT, before any statement).
 */
export async function createProtocol(
  manager: EntityManager,
  protocol: { name: string; epochs: number; hyperparameters: Record<string, unknown>; description: string },
): Promise<{ created: boolean; row: ProtocolRow }> {
  checkName(protocol.name, { field: 'name' });
  checkText(protocol.description, { field: 'description' });
  checkJsonText(protocol.hyperparameters, { field: 'hyperparameters' });
  checkText(JSON.stringify(protocol.hyperparameters), {
    field: 'hyperparameters',
    maxLength: MAX_HYPERPARAMETERS_LENGTH,
  });
  const inserted: Array<{ id: number }> = await manager.query(
    `INSERT INTO protocol (name, epochs, hyperparameters, description) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING RETURNING id`,
    [protocol.name, protocol.epochs, JSON.stringify(protocol.hyperparameters), protocol.description],
  );
  return { created: inserted.length > 0, row: await manager.findOneByOrFail(ProtocolEntity, { name: protocol.name }) };
}

/** Where a default protocol is chosen: a dataset, in one space or (null) in any. */
export interface ProtocolScope {
  space: string | null;
  datasetId: number;
}

/**
 * The protocol every read, fit and request without one uses (the only place it is chosen): the full-budget protocol
 * (most epochs, then name) among the protocols with records for the dataset in the space, so a protocol created for
 * other data never hides these records. A dataset without records in the scope falls back to every protocol (reads
 * then answer nothing whichever is chosen). Undefined when no protocol is stored.
 */
export function defaultProtocol(catalog: Catalog, scope: ProtocolScope): ProtocolRow | undefined {
  const candidates = catalog.protocolsWithRecords.get(scopeKey(scope.space, scope.datasetId)) ?? catalog.protocols;
  return [...candidates].sort((a, b) => b.epochs - a.epochs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0];
}
