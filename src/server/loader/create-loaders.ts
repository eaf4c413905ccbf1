import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { findArchitecturesByHash, findByIsoClass, findExternalIds, type StoredArchitecture } from '../../store/architecture/find-architectures';
import { loadCatalog, type Catalog } from '../../store/catalog/catalog';
import { loadCurves, type CurveRequest, type CurveResult } from '../../store/record/load-curves';
import { loadRecords, type RecordRequest } from '../../store/record/load-records';
import type { RecordResult } from '../../store/record/record';
import { seedChoiceKey } from '../../store/record/seed-choice';

/** The per-request DataLoaders: every field that needs the database batches through one of these. */
export interface Loaders {
  /** Datasets and protocols, loaded once per request. */
  catalog(): Promise<Catalog>;
  /** Stored architecture by `space \0 hash`, or null. */
  architecture: DataLoader<string, StoredArchitecture | null>;
  record: DataLoader<RecordRequest, RecordResult | null, string>;
  curve: DataLoader<CurveRequest, CurveResult | null, string>;
  /** Stored architectures by `space \0 isoClass`. */
  isomorphs: DataLoader<string, StoredArchitecture[]>;
  /** External ids by architecture id. */
  externalIds: DataLoader<number, Record<string, string>>;
}

const MAX_BATCH = 20_000;

/** Builds a fresh set of loaders for one request. */
export function createLoaders(manager: EntityManager): Loaders {
  let catalog: Promise<Catalog> | undefined;
  return {
    catalog: () => (catalog ??= loadCatalog(manager)),
    architecture: new DataLoader(
      async (keys) => {
        const bySpace = new Map<string, string[]>();
        for (const key of keys) {
          const [space, hash] = key.split('\u0000');
          bySpace.set(space, [...(bySpace.get(space) ?? []), hash]);
        }
        const found = new Map<string, StoredArchitecture>();
        for (const [space, hashes] of bySpace) {
          for (const [hash, row] of await findArchitecturesByHash(manager, space, hashes)) found.set(`${space}\u0000${hash}`, row);
        }
        return keys.map((key) => found.get(key) ?? null);
      },
      { maxBatchSize: MAX_BATCH },
    ),
    record: new DataLoader((requests) => loadRecords(manager, requests), {
      maxBatchSize: MAX_BATCH,
      cacheKeyFn: (r) => `${r.architectureId}:${r.datasetId}:${r.protocolId}:${r.epoch}:${seedChoiceKey(r.choice)}`,
    }),
    curve: new DataLoader((requests) => loadCurves(manager, requests), {
      maxBatchSize: MAX_BATCH,
      cacheKeyFn: (r) => `${r.architectureId}:${r.datasetId}:${r.protocolId}:${r.seed}`,
    }),
    isomorphs: new DataLoader(
      async (keys) => {
        const out = new Map<string, StoredArchitecture[]>();
        const bySpace = new Map<string, string[]>();
        for (const key of keys) {
          const [space, iso] = key.split('\u0000');
          bySpace.set(space, [...(bySpace.get(space) ?? []), iso]);
        }
        for (const [space, isos] of bySpace) {
          for (const [iso, rows] of await findByIsoClass(manager, space, isos)) out.set(`${space}\u0000${iso}`, rows);
        }
        return keys.map((key) => out.get(key) ?? []);
      },
      { maxBatchSize: MAX_BATCH },
    ),
    externalIds: new DataLoader(
      async (ids) => {
        const found = await findExternalIds(manager, ids);
        return ids.map((id) => found.get(id) ?? {});
      },
      { maxBatchSize: MAX_BATCH },
    ),
  };
}
