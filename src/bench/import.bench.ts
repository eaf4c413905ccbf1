import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, redactUrl, type StoreConfig } from '../store';
import { createFreshDatabase } from './fresh-database';
import { importFile, resolveMapping } from '../store/import';
import { loadMappingFile } from '../store/import/load-mapping-file';

/** Options of {@link runImportBench}. */
export interface ImportBenchOptions {
  /** Folder with nb201_summary.csv, nb201_runs.csv and nb201_curves_cifar10-valid.jsonl. */
  dataDir: string;
  /** PostgreSQL server to measure on too (a fresh database is created and dropped there). */
  databaseUrl?: string;
}

const FILES: Array<[string, string]> = [
  ['nb201_runs.csv', 'nb201/runs'],
  ['nb201_summary.csv', 'nb201/summary'],
  ['nb201_curves_cifar10-valid.jsonl', 'nb201/curves-cifar10-valid'],
];

/** Per file: seconds, rows and rows/s of `importFile` into a fresh database (PGlite, and PostgreSQL when given). */
export async function runImportBench(options: ImportBenchOptions): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  const targets: Array<['pglite' | 'postgres', string | undefined]> = [['pglite', undefined]];
  if (options.databaseUrl) targets.push(['postgres', options.databaseUrl]);
  for (const [kind, serverUrl] of targets) {
    const database = await createFreshDatabase('importbench', serverUrl);
    try {
      const measured = await importAll(database.config, options.dataDir);
      result[kind] = serverUrl ? { server: redactUrl(serverUrl), ...measured } : measured;
    } finally {
      await database.drop();
    }
  }
  return result;
}

async function importAll(config: StoreConfig, dataDir: string): Promise<Record<string, unknown>> {
  const store = await openStore({ config });
  const out: Record<string, unknown> = {};
  try {
    for (const [file, preset] of FILES) {
      const path = join(dataDir, file);
      const mapping = resolveMapping(loadMappingFile(preset));
      const started = performance.now();
      const imported = await importFile({
        dataSource: store.dataSource,
        space: 'nb201',
        file: path,
        mapping,
        replace: false,
      });
      const seconds = (performance.now() - started) / 1000;
      out[file] = {
        seconds: round(seconds),
        rows: imported.rowsRead,
        rowsPerS: Math.round(imported.rowsRead / seconds),
        megabytes: round(statSync(path).size / 1e6),
        runsAdded: imported.runsAdded,
        epochsAdded: imported.epochsAdded,
      };
    }
  } finally {
    await store.close();
  }
  return out;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
