import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { importReleaseFromUrl } from '../releases';
import { openStore, type Store } from '../store';
import { importRelease, verifyRelease } from '../store/release';
import { startServer } from '../server';
import { DEFAULT_LIMITS } from '../server/limit/api-limits';
import { createFreshDatabase, type FreshDatabase } from './fresh-database';

/** Options of {@link runReleaseTransferBench}. */
export interface ReleaseTransferBenchOptions {
  /** A release folder written by `nashub publish`. */
  release: string;
  /** HEAD requests timed. */
  heads?: number;
}

/**
 * A release over loopback, side by side in one run on PGlite: server A serves the release; store B imports it by URL
 * (download with verification, then import) and store C imports the same folder from disk. Also HEAD latency.
 */
export async function runReleaseTransferBench(options: ReleaseTransferBenchOptions): Promise<Record<string, unknown>> {
  const work = mkdtempSync(join(tmpdir(), 'nashub-release-bench-'));
  const databases: FreshDatabase[] = [];
  const stores: Store[] = [];
  const open = async () => {
    const database = await createFreshDatabase('releasebench');
    databases.push(database);
    const store = await openStore({ config: database.config });
    stores.push(store);
    return store;
  };
  let stopServer = async () => undefined as unknown;
  try {
    const { manifest } = await verifyRelease(options.release);
    const bytes = Object.values(manifest.files).reduce((sum, f) => sum + f.bytes, 0);
    const a = await open();
    const aReleases = join(work, 'a');
    const target = join(aReleases, manifest.name, manifest.version);
    await importRelease({
      dataSource: a.dataSource,
      dir: options.release,
      replace: false,
      record: {
        place: () => cpSync(options.release, target, { recursive: true }),
        unplace: () => rmSync(target, { recursive: true, force: true }),
      },
    });
    const server = await startServer({
      store: a,
      port: 0,
      host: '127.0.0.1',
      maxBodyBytes: 4 * 1024 * 1024,
      production: true,
      logger: pino({ level: 'silent' }),
      limits: DEFAULT_LIMITS,
      releasesDir: aReleases,
    });
    stopServer = () => server.stop();
    const base = `http://127.0.0.1:${server.port}/releases/${manifest.name}/${manifest.version}/`;

    const b = await open();
    let downloaded = 0;
    const started = performance.now();
    await importReleaseFromUrl({
      dataSource: b.dataSource,
      url: base,
      releasesDir: join(work, 'b'),
      replace: false,
      timeoutMs: 60_000,
      retries: 0,
      onImport: () => (downloaded ||= performance.now()),
    });
    const urlSeconds = (performance.now() - started) / 1000;
    const downloadSeconds = (downloaded - started) / 1000;

    const c = await open();
    const folderStarted = performance.now();
    await importRelease({ dataSource: c.dataSource, dir: options.release, replace: false });
    const folderSeconds = (performance.now() - folderStarted) / 1000;

    const heads: number[] = [];
    for (let i = 0; i < (options.heads ?? 200); i++) {
      const t = performance.now();
      await head(`${base}records.parquet`);
      heads.push(performance.now() - t);
    }
    heads.sort((x, y) => x - y);
    return {
      release: `${manifest.name} ${manifest.version}`,
      records: manifest.files['records.parquet'].rows,
      curves: manifest.files['curves.parquet'].rows,
      megabytes: round(bytes / 1e6),
      urlImportSeconds: round(urlSeconds),
      downloadAndVerifySeconds: round(downloadSeconds),
      downloadMBps: round(bytes / 1e6 / downloadSeconds),
      folderImportSeconds: round(folderSeconds),
      urlOverFolderRatio: round(urlSeconds / folderSeconds),
      headP50Ms: round(heads[Math.floor(heads.length / 2)]),
      headP99Ms: round(heads[Math.floor(heads.length * 0.99)]),
    };
  } finally {
    await stopServer();
    for (const store of stores) await store.close();
    for (const database of databases) await database.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

function head(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'HEAD' }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HEAD ${url}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
