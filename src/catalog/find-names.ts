import { ErrorCode, NashubError, echoName } from '../core';
import type { Catalog, DatasetRow, ProtocolRow } from '../store/catalog/catalog';
import type { CatalogSource } from './catalog-source';

/** The catalog with `has` true, read again once when the held copy lacks the name. */
async function catalogFor(source: CatalogSource, has: (catalog: Catalog) => boolean): Promise<Catalog> {
  const catalog = await source.get();
  return has(catalog) ? catalog : source.refresh();
}

/** The one lookup of a dataset by name: UNKNOWN_DATASET (with the known names) when the store has none. */
export async function findDataset(source: CatalogSource, name: string): Promise<DatasetRow> {
  const catalog = await catalogFor(source, (c) => c.datasetByName.has(name));
  const dataset = catalog.datasetByName.get(name);
  if (!dataset) {
    const known = catalog.datasets.map((d) => d.name).join(', ') || '(none)';
    throw new NashubError(ErrorCode.UNKNOWN_DATASET, `unknown dataset "${echoName(name)}"; known: ${known}`, {
      details: { dataset: echoName(name) },
    });
  }
  return dataset;
}

/** The one lookup of a protocol by name: UNKNOWN_PROTOCOL (with the known names) when the store has none. */
export async function findProtocol(source: CatalogSource, name: string): Promise<ProtocolRow> {
  const catalog = await catalogFor(source, (c) => c.protocolByName.has(name));
  const protocol = catalog.protocolByName.get(name);
  if (!protocol) {
    const known = catalog.protocols.map((p) => p.name).join(', ') || '(none)';
    throw new NashubError(ErrorCode.UNKNOWN_PROTOCOL, `unknown protocol "${echoName(name)}"; known: ${known}`, {
      details: { protocol: echoName(name) },
    });
  }
  return protocol;
}
