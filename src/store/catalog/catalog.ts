import type { EntityManager } from 'typeorm';

/** A dataset as the API shows it. */
export interface DatasetRow {
  id: number;
  name: string;
  numClasses: number | null;
  description: string;
}

/** A protocol as the API shows it. */
export interface ProtocolRow {
  id: number;
  name: string;
  epochs: number;
  hyperparameters: Record<string, unknown>;
  description: string;
}

/** Datasets and protocols: small tables a request loads once. */
export interface Catalog {
  datasets: DatasetRow[];
  protocols: ProtocolRow[];
  datasetByName: Map<string, DatasetRow>;
  protocolByName: Map<string, ProtocolRow>;
}

/** Loads every dataset and protocol in one statement. */
export async function loadCatalog(manager: EntityManager): Promise<Catalog> {
  const rows: Array<{ kind: 'd' | 'p'; id: number; name: string; num_classes: number | null; epochs: number | null; hyperparameters: Record<string, unknown> | null; description: string }> =
    await manager.query(
      `SELECT 'd' AS kind, id, name, num_classes, NULL::int AS epochs, NULL::jsonb AS hyperparameters, description FROM dataset
       UNION ALL
       SELECT 'p', id, name, NULL, epochs, hyperparameters, description FROM protocol
       ORDER BY kind, name`,
    );
  const datasets = rows.filter((r) => r.kind === 'd').map((r) => ({ id: r.id, name: r.name, numClasses: r.num_classes, description: r.description }));
  const protocols = rows
    .filter((r) => r.kind === 'p')
    .map((r) => ({ id: r.id, name: r.name, epochs: r.epochs!, hyperparameters: r.hyperparameters ?? {}, description: r.description }));
  return {
    datasets,
    protocols,
    datasetByName: new Map(datasets.map((d) => [d.name, d])),
    protocolByName: new Map(protocols.map((p) => [p.name, p])),
  };
}

/** Creates a protocol, or returns the stored one when it has the same epochs; CONFLICT-free callers check epochs. */
export async function createProtocol(
  manager: EntityManager,
  protocol: { name: string; epochs: number; hyperparameters: Record<string, unknown>; description: string },
): Promise<{ created: boolean; row: ProtocolRow }> {
  const inserted: Array<{ id: number }> = await manager.query(
    `INSERT INTO protocol (name, epochs, hyperparameters, description) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING RETURNING id`,
    [protocol.name, protocol.epochs, JSON.stringify(protocol.hyperparameters), protocol.description],
  );
  const rows: Array<{ id: number; name: string; epochs: number; hyperparameters: Record<string, unknown>; description: string }> = await manager.query(
    'SELECT id, name, epochs, hyperparameters, description FROM protocol WHERE name = $1',
    [protocol.name],
  );
  return { created: inserted.length > 0, row: rows[0] };
}

/** The protocol a request without one reads: the full budget (most epochs), then by name; undefined when none. */
export function defaultProtocol(catalog: Catalog): ProtocolRow | undefined {
  return [...catalog.protocols].sort((a, b) => b.epochs - a.epochs || a.name.localeCompare(b.name))[0];
}
