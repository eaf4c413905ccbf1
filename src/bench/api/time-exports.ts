import { Agent, get } from 'node:http';
import type { SweepTarget } from './table-sweep';

/** Options of {@link timeExports}. */
export interface TimeExportsOptions {
  /** The server's base URL (`http://host:port`). */
  baseUrl: string;
  space: string;
  /** Exports to fetch one after another; a target without protocol fetches all its protocols. */
  targets: ReadonlyArray<Pick<SweepTarget, 'dataset'> & { protocol?: string }>;
  /** `metrics=` of each export, e.g. validAcc,testAcc. */
  metrics: string;
  format: 'csv' | 'parquet';
  /** `seeds=` of each export: the seed means (the default) or every run. */
  seeds: 'MEAN' | 'ALL';
  /** Send `Cache-Control: no-cache`: the server reads and encodes each file again instead of sending its kept copy. */
  reread: boolean;
}

/** What the exports sent. */
export interface TimeExportsResult {
  seconds: number;
  bytes: number;
  /** Files the server sent from its cache of finished exports. */
  cacheHits: number;
}

/** Fetches `/export` files one after another, reading every byte, and times the whole. */
export async function timeExports(options: TimeExportsOptions): Promise<TimeExportsResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const started = performance.now();
  let bytes = 0;
  let cacheHits = 0;
  const headers = options.reread ? { 'cache-control': 'no-cache' } : {};
  try {
    for (const { dataset, protocol } of options.targets) {
      const query = new URLSearchParams({ metrics: options.metrics, format: options.format, seeds: options.seeds });
      if (protocol !== undefined) query.set('protocol', protocol);
      const url = `${options.baseUrl}/export/${options.space}/${encodeURIComponent(dataset)}?${query}`;
      bytes += await new Promise<number>((resolve, reject) => {
        get(url, { agent, headers }, (res) => {
          if (res.headers['x-nashub-export-cache'] === 'hit') cacheHits += 1;
          let n = 0;
          res.on('data', (chunk: Buffer) => (n += chunk.length));
          res.on('error', reject);
          res.on('end', () =>
            res.statusCode === 200 ? resolve(n) : reject(new Error(`export ${url}: HTTP ${res.statusCode}`)),
          );
        }).on('error', reject);
      });
    }
    return { seconds: (performance.now() - started) / 1000, bytes, cacheHits };
  } finally {
    agent.destroy();
  }
}
