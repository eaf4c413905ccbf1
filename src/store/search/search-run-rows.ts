import type { EntityManager } from 'typeorm';
import { SearchRunEntity } from '../entity/search-run.entity';
import { SearchTrialEntity } from '../entity/search-trial.entity';
import { entityColumns } from '../entity-columns';
import { hydrate } from '../hydrate';
import { rowsOf } from '../rows-of';

/** A search run as stored, with its dataset's name. */
export type SearchRunRow = SearchRunEntity & { dataset: string };

/** What {@link insertSearchRun} writes. */
export type NewSearchRun = Omit<SearchRunEntity, 'id' | 'status' | 'version' | 'asking' | 'createdAt' | 'finishedAt'>;

/** @internal The select of runs (`r`) with their dataset's name, and `extraColumns`. */
export function runSelect(manager: EntityManager, extraColumns = ''): string {
  return `SELECT ${entityColumns(manager, SearchRunEntity, 'r')}, d.name AS dataset${extraColumns}
            FROM search_run r JOIN dataset d ON d.id = r.dataset_id`;
}

/** @internal Rows of {@link runSelect} as runs. */
export function toRunRows(manager: EntityManager, rows: readonly Record<string, unknown>[]): SearchRunRow[] {
  const runs = hydrate(manager, SearchRunEntity, rows);
  return rows.map((r, i) => ({ ...runs[i], dataset: r.dataset as string }));
}

/** @internal Rows of trial columns (or TypeORM's `[rows, count]`) as trials. */
export function toTrialRows(manager: EntityManager, result: unknown): SearchTrialEntity[] {
  return hydrate(manager, SearchTrialEntity, rowsOf(result));
}
