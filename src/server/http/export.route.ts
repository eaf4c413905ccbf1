import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EntityManager } from 'typeorm';
import { ErrorCode, Metric, NashubError, getSpace, isNashubError, type MetricName } from '../../core';
import { findDataset, findProtocol, type CatalogSource } from '../../catalog';
import {
  ExportFormat,
  ExportSeeds,
  exportRecords,
  type ExportFormatValue,
  type ExportSeedsValue,
} from '../../store/release/export-records';
import { PUBLIC_CACHE_CONTROL, answerFromCache, asksForAny, cacheTagOf, sendNotModified } from '../cache/read-cache';
import type { ExportFileCache } from '../cache/export-file-cache';
import { sendJson } from './send-json';

/** Options of {@link createExportRoute}. */
export interface ExportRouteOptions {
  manager: EntityManager;
  /** Resolves dataset and protocol names (the server's catalog cache). */
  catalog: CatalogSource;
  /** The store generation now; null while unknown (then nothing is tagged, revalidated or kept). */
  generation: () => bigint | null;
  /** Finished files, sent again to a repeat export of the same generation. */
  cache: ExportFileCache;
}

/** Answers `/export/...` requests; `path` is the URL's path. */
export type ExportRoute = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;

const CONTENT_TYPES: Record<ExportFormatValue, string> = {
  csv: 'text/csv; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
};

const PARAMETERS = new Set(['protocol', 'metrics', 'format', 'seeds']);

/** What an export request asks for, checked. */
interface ExportRequest {
  space: string;
  dataset: string;
  protocol: string | null;
  metrics: MetricName[] | null;
  format: ExportFormatValue;
  seeds: ExportSeedsValue;
}

/**
 * `GET|HEAD /export/{space}/{dataset}?protocol=…&metrics=validAcc,testAcc&format=csv|parquet&seeds=MEAN|ALL`: with
 * `seeds=ALL`, the records table a release of that filter would hold (every complete run, published seed means
 * included), in the bytes the release writer writes; with `seeds=MEAN` (the default), one row per architecture and
 * protocol holding `record`'s seed mean, in the same columns. Streamed as it is read. Without `metrics`, every metric
 * column; without `protocol`, every protocol; the default format is csv. Bad input is HTTP 400 with the error's code,
 * before any byte of the file.
 */
export function createExportRoute(options: ExportRouteOptions): ExportRoute {
  return async (req, res, path) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendJson(res, 405, errorBody(`${req.method} is not allowed on /export; use GET`, 'METHOD_NOT_ALLOWED'));
      return;
    }
    let request: ExportRequest;
    try {
      request = await parseExportRequest(options.catalog, path, req.url ?? '');
    } catch (error) {
      if (!isNashubError(error)) throw error;
      sendJson(res, 400, errorBody(error.message, error.code, error.details));
      return;
    }
    const { space, dataset, protocol, metrics, format, seeds } = request;
    const cacheKey = JSON.stringify([space, dataset, protocol, metrics, format, seeds]);
    // The generation before anything is read, as for GraphQL GETs: a file is never tagged newer than its data.
    const tag = cacheTagOf(req, cacheKey, options.generation());
    if (answerFromCache(req, res, tag)) return;
    // A request that parsed always has a file, so `If-None-Match: *` is answered without reading it.
    if (tag && asksForAny(req)) {
      sendNotModified(res, tag.etag);
      return;
    }
    const name = [request.space, request.dataset, request.protocol].filter((x) => x !== null).join('-');
    // A client's `Cache-Control: no-cache` asks for the file read again (and kept again), not the one in memory.
    const reread = /\bno-(cache|store)\b/.test(req.headers['cache-control'] ?? '');
    const cached = tag && !reread ? options.cache.get(cacheKey, tag.generation) : undefined;
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[request.format],
      'content-disposition': `attachment; filename="${encodeURIComponent(name)}.${request.format}"`,
      ...(tag ? { etag: tag.etag, 'cache-control': PUBLIC_CACHE_CONTROL } : { 'cache-control': 'no-store' }),
      ...(cached ? { 'content-length': cached.bytes } : {}),
      'x-nashub-export-cache': cached ? 'hit' : 'miss',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (cached) {
      await send(res, cached.chunks);
      return;
    }
    const chunks = exportRecords({
      manager: options.manager,
      filter: { space: request.space, dataset: request.dataset, protocol: request.protocol },
      metrics: request.metrics,
      format: request.format,
      seeds: request.seeds,
    });
    // The chunks are kept for the cache while the file may still fit in it, and let go as soon as it cannot.
    let kept: Buffer[] = [];
    let bytes = 0;
    const complete = await send(
      res,
      (async function* () {
        for await (const chunk of chunks) {
          bytes += chunk.length;
          if (tag && options.cache.fits(bytes)) kept.push(chunk);
          else kept = [];
          yield chunk;
        }
      })(),
    );
    if (complete && tag && options.cache.fits(bytes))
      options.cache.set(cacheKey, { generation: tag.generation, chunks: kept, bytes });
  };
}

/**
 * Writes chunks as the client takes them and ends the response; false when the client went away first (the
 * generator's finally then closes the writer at the next page).
 */
async function send(res: ServerResponse, chunks: Iterable<Buffer> | AsyncIterable<Buffer>): Promise<boolean> {
  for await (const chunk of chunks) {
    if (res.destroyed) return false;
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
  if (res.destroyed) return false;
  res.end();
  return true;
}

async function parseExportRequest(catalog: CatalogSource, path: string, url: string): Promise<ExportRequest> {
  const segments = path.split('/').slice(2);
  if (segments.length !== 2 || segments.some((s) => s === ''))
    throw invalid('the export path is /export/{space}/{dataset}', 'path');
  const [space, dataset] = segments.map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw invalid('the export path is not valid percent-encoding', 'path');
    }
  });
  const params = new URL(url, 'http://localhost').searchParams;
  for (const key of params.keys()) {
    if (!PARAMETERS.has(key))
      throw invalid(`unknown parameter ${key.slice(0, 100)}; known: protocol, metrics, format, seeds`, key);
    if (params.getAll(key).length > 1) throw invalid(`parameter ${key} given more than once`, key);
  }
  const format = params.get('format') ?? ExportFormat.CSV;
  if (format !== ExportFormat.CSV && format !== ExportFormat.PARQUET)
    throw invalid(`format must be csv or parquet, got ${format.slice(0, 100)}`, 'format');
  const seeds = (params.get('seeds') ?? ExportSeeds.MEAN).toUpperCase();
  if (seeds !== ExportSeeds.MEAN && seeds !== ExportSeeds.ALL)
    throw invalid(`seeds must be MEAN or ALL, got ${seeds.slice(0, 100)}`, 'seeds');
  const protocol = params.get('protocol');
  const spaceName = getSpace(space).name;
  await findDataset(catalog, dataset);
  if (protocol !== null) await findProtocol(catalog, protocol);
  return { space: spaceName, dataset, protocol, metrics: parseMetrics(params.get('metrics')), format, seeds };
}

/** `validAcc,testAcc` (or the GraphQL names, VALID_ACC,TEST_ACC) as metrics; null when absent. */
function parseMetrics(text: string | null): MetricName[] | null {
  if (text === null) return null;
  const byName = new Map<string, MetricName>(
    Object.entries(Metric).flatMap(([key, value]) => [
      [key, value],
      [value, value],
    ]),
  );
  const metrics = text.split(',').map((name) => {
    const metric = byName.get(name.trim());
    if (!metric)
      throw invalid(`unknown metric ${name.slice(0, 100)}; known: ${Object.values(Metric).join(', ')}`, 'metrics');
    return metric;
  });
  if (new Set(metrics).size !== metrics.length) throw invalid('metrics names a metric twice', 'metrics');
  return metrics;
}

function invalid(message: string, argument: string): NashubError {
  return new NashubError(ErrorCode.INVALID_ARGUMENT, message, { details: { argument } });
}

function errorBody(message: string, code: string, details: Record<string, unknown> = {}): unknown {
  return { errors: [{ message, extensions: { code, ...details } }] };
}
