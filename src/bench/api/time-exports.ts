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
}

/** What the exports sent. */
export interface TimeExportsResult {
  seconds: number;
  bytes: number;
}

/** Fetches `/export` files one after another, reading every byte, and times the whole. */
export async function timeExports(options: TimeExportsOptions): Promise<TimeExportsResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const started = performance.now();
  let bytes = 0;
  try {
    for (const { dataset, protocol } of options.targets) {
      const query = new URLSearchParams({ metrics: options.metrics, format: options.format, seeds: options.seeds });
      if (protocol !== undefined) query.set('protocol', protocol);
      const url = `${options.baseUrl}/export/${options.space}/${encodeURIComponent(dataset)}?${query}`;
      bytes += await new Promise<number>((resolve, reject) => {
        get(url, { agent }, (res) => {
          let n = 0;
          res.on('data', (chunk: Buffer) => (n += chunk.length));
          res.on('error', reject);
          res.on('end', () =>
            res.statusCode === 200 ? resolve(n) : reject(new Error(`export ${url}: HTTP ${res.statusCode}`)),
          );
        }).on('error', reject);
      });
    }
    return { seconds: (performance.now() - started) / 1000, bytes };
  } finally {
    agent.destroy();
  }
}
