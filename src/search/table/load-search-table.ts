import type { EntityManager } from 'typeorm';
import { ErrorCode, NashubError } from '../../core';
import { loadCatalog, type Catalog, type ProtocolRow } from '../../store/catalog/catalog';
import { loadProtocolValues, type ProtocolValue } from '../../store/search';
import type { SearchSpec } from '../run/search-spec';
import { SearchTable, type SearchTableFidelity } from './search-table';

/** The part of a spec a table needs. */
export type SearchTableSpec = Pick<SearchSpec, 'space' | 'dataset' | 'fidelities' | 'final' | 'budget' | 'importHint'>;

/**
 * Reads the spec's protocols into an in-memory {@link SearchTable} (one statement per protocol), so a run, or a bench of
 * many runs, never touches the database again. DATA_NOT_IMPORTED, naming the preset's import, for a missing dataset or
 * protocol, a protocol without records of the space on the
 * dataset, or (for a time budget) without training seconds to cost an evaluation; without a preset, UNKNOWN_DATASET
 * and UNKNOWN_PROTOCOL for names the store lacks.
 */
export async function loadSearchTable(manager: EntityManager, spec: SearchTableSpec): Promise<SearchTable> {
  const catalog = await loadCatalog(manager);
  const dataset = catalog.datasetByName.get(spec.dataset);
  if (!dataset) {
    if (spec.importHint !== null) missing(spec, `dataset ${spec.dataset} is not in the store`, { missing: 'dataset' });
    throw new NashubError(
      ErrorCode.UNKNOWN_DATASET,
      `unknown dataset "${spec.dataset}"; known: ${catalog.datasets.map((d) => d.name).join(', ') || '(none)'}`,
      {
        details: { dataset: spec.dataset },
      },
    );
  }
  const space = spec.space.name;
  const cache = new Map<string, Map<string, ProtocolValue>>();
  const rowsOf = async (
    protocol: ProtocolRow,
    metric: SearchTableFidelity['metric'],
  ): Promise<Map<string, ProtocolValue>> => {
    const key = `${protocol.name}\u0000${metric}`;
    let rows = cache.get(key);
    if (!rows) {
      const values = await loadProtocolValues(manager, {
        space,
        datasetId: dataset.id,
        protocolId: protocol.id,
        metric,
      });
      if (values.length === 0)
        missing(spec, `no ${metric} records of ${space} on ${spec.dataset} under protocol ${protocol.name}`, {
          protocol: protocol.name,
          metric,
        });
      rows = new Map(values.map((v) => [v.hash, v]));
      cache.set(key, rows);
    }
    return rows;
  };

  const fidelities: SearchTableFidelity[] = [];
  for (const fidelity of spec.fidelities) {
    const protocol = protocolOf(catalog, spec, fidelity.protocol);
    const costFrom = protocolOf(catalog, spec, fidelity.costFrom);
    const observed = await rowsOf(protocol, fidelity.metric);
    const timed = costFrom === protocol ? observed : await rowsOf(costFrom, fidelity.metric);
    const scale = protocol.epochs / costFrom.epochs;
    const costs = new Map<string, number>();
    for (const [hash, row] of timed) if (row.trainSeconds !== null) costs.set(hash, row.trainSeconds * scale);
    if (costs.size === 0 && spec.budget.kind === 'SECONDS') {
      missing(
        spec,
        `a time budget needs training seconds, and no ${space} record on ${spec.dataset} under ${costFrom.name} has them; give an evaluation budget instead`,
        {
          protocol: costFrom.name,
          missing: 'trainSeconds',
        },
      );
    }
    fidelities.push({
      protocol: protocol.name,
      epochs: protocol.epochs,
      metric: fidelity.metric,
      values: new Map([...observed].map(([h, r]) => [h, r.value])),
      costs,
    });
  }
  const finalRows = await rowsOf(protocolOf(catalog, spec, spec.final.protocol), spec.final.metric);
  return new SearchTable({
    space,
    dataset: spec.dataset,
    fidelities,
    final: {
      protocol: spec.final.protocol,
      metric: spec.final.metric,
      values: new Map([...finalRows].map(([h, r]) => [h, r.value])),
    },
  });
}

function protocolOf(catalog: Catalog, spec: SearchTableSpec, name: string): ProtocolRow {
  const protocol = catalog.protocolByName.get(name);
  if (protocol) return protocol;
  if (spec.importHint === null) {
    throw new NashubError(
      ErrorCode.UNKNOWN_PROTOCOL,
      `unknown protocol "${name}"; known: ${catalog.protocols.map((p) => p.name).join(', ') || '(none)'}`,
      { details: { protocol: name } },
    );
  }
  return missing(spec, `protocol ${name} is not in the store`, { protocol: name });
}

function hint(spec: SearchTableSpec): string {
  return spec.importHint === null ? '' : `; this search needs: ${spec.importHint}`;
}

function missing(spec: SearchTableSpec, message: string, details: Record<string, unknown>): never {
  throw new NashubError(ErrorCode.DATA_NOT_IMPORTED, `${message}${hint(spec)}`, {
    details: { ...details, space: spec.space.name, dataset: spec.dataset, import: spec.importHint },
  });
}
