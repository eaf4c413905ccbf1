import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { EntityManager } from 'typeorm';
import {
  MANIFEST_FILE,
  RELEASE_DATA_FILES,
  RELEASE_NAME,
  findRelease,
  formatManifest,
  listReleases,
  type StoredRelease,
} from '../../store/release';
import { releaseInPlace } from '../release/release-in-place';
import { parseRange } from './parse-range';
import { sendJson } from './send-json';

/** Options of {@link createReleaseFilesRoute}. */
export interface ReleaseFilesRouteOptions {
  manager: EntityManager;
  /** The store's release folder (`<name>/<version>/` each); undefined serves none. */
  dir: string | undefined;
}

/** Answers `/releases...` requests; `path` is the URL's path. */
export type ReleaseFilesRoute = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;

const CONTENT_TYPES: Record<string, string> = {
  parquet: 'application/vnd.apache.parquet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** What one release file is served from: the bytes' sha256 and size come from the stored manifest, never the file. */
interface ServedFile {
  sha256: string;
  bytes: number;
  type: string;
  /** The file on disk, or the text itself (manifest.json is the stored manifest, formatted). */
  source: { path: string } | { text: Buffer };
}

/**
 * `GET|HEAD /releases` (a JSON index of the releases whose folder is in place) and
 * `/releases/{name}/{version}/{file}`: manifest.json and the data files with `ETag` = the file's sha256,
 * `Cache-Control: public, immutable`, `Range` and `If-None-Match`. Sizes and ETags come from the stored manifest, so
 * a HEAD or a 304 reads no file.
 */
export function createReleaseFilesRoute(options: ReleaseFilesRouteOptions): ReleaseFilesRoute {
  const { manager, dir } = options;
  const inPlace = (release: Pick<StoredRelease, 'name' | 'version'>) =>
    releaseInPlace(dir, release.name, release.version);

  return async (req, res, path) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendJson(res, 405, { error: `${req.method} is not allowed on ${path}`, code: 'METHOD_NOT_ALLOWED' });
      return;
    }
    const segments = path.split('/').slice(2).map(decodeSegment);
    if (segments.length === 0 || (segments.length === 1 && segments[0] === '')) {
      const releases = [];
      for (const release of await listReleases(manager)) {
        if (!(await inPlace(release))) continue;
        releases.push({
          name: release.name,
          version: release.version,
          createdAt: release.createdAt.toISOString(),
          contentSha256: release.manifest.contentSha256,
          url: `/releases/${encodeURIComponent(release.name)}/${encodeURIComponent(release.version)}/`,
        });
      }
      res.setHeader('cache-control', 'no-cache');
      sendJson(res, 200, { releases });
      return;
    }
    const [name, version, file, ...rest] = segments;
    const notFound = () => sendJson(res, 404, { error: `no release file ${path}`, code: 'NOT_FOUND' });
    if (rest.length > 0 || !name || !version || !RELEASE_NAME.test(name) || !RELEASE_NAME.test(version))
      return notFound();
    const release = await findRelease(manager, name, version);
    if (!release || !(await inPlace(release))) return notFound();
    const served = servedFile(release, join(dir!, name, version), file || MANIFEST_FILE);
    if (!served) return notFound();
    sendFile(req, res, served);
  };
}

/** The file of a release a request names, or null; only the manifest and the known data files are ever served. */
function servedFile(release: StoredRelease, folder: string, file: string): ServedFile | null {
  if (file === MANIFEST_FILE) {
    const text = Buffer.from(formatManifest(release.manifest));
    const sha256 = createHash('sha256').update(text).digest('hex');
    return { sha256, bytes: text.length, type: CONTENT_TYPES.json, source: { text } };
  }
  const known = RELEASE_DATA_FILES.find((f) => f.name === file);
  const entry = release.manifest.files[file];
  if (!known || !entry) return null;
  return {
    sha256: entry.sha256,
    bytes: entry.bytes,
    type: CONTENT_TYPES[known.format],
    source: { path: join(folder, file) },
  };
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: ServedFile): void {
  const etag = `"${file.sha256}"`;
  res.setHeader('etag', etag);
  res.setHeader('cache-control', 'public, max-age=31536000, immutable');
  res.setHeader('accept-ranges', 'bytes');
  if (matchesEtag(req.headers['if-none-match'], etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  // If-Range with another validator: the client holds part of another file, so it gets the whole new one.
  const ifRange = req.headers['if-range'];
  const range = ifRange === undefined || ifRange === etag ? parseRange(req.headers.range, file.bytes) : null;
  if (range === 'unsatisfiable') {
    res.writeHead(416, { 'content-range': `bytes */${file.bytes}`, 'content-length': 0 });
    res.end();
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? file.bytes - 1;
  res.setHeader('content-type', file.type);
  res.setHeader('content-length', Math.max(0, end - start + 1));
  if (range) res.setHeader('content-range', `bytes ${start}-${end}/${file.bytes}`);
  res.statusCode = range ? 206 : 200;
  if (req.method === 'HEAD' || file.bytes === 0) {
    res.end();
    return;
  }
  if ('text' in file.source) {
    res.end(file.source.text.subarray(start, end + 1));
    return;
  }
  const stream = createReadStream(file.source.path, { start, end });
  // Headers are gone by the time a read fails: cutting the connection is the only honest answer left.
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** True when an `If-None-Match` list names this ETag (weak comparison, as RFC 9110 §13.1.2 asks) or is `*`. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/** A URL path segment, or '' when its escapes are malformed (a name never matches it). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '\u0000';
  }
}
