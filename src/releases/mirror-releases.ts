import { z } from 'zod';
import { ErrorCode, NashubError, parseWithSchema } from '../core';
import { RELEASE_NAME, listReleases } from '../store/release';
import { downloadFailed, httpGet } from './http-get';
import {
  importReleaseFromUrl,
  type ImportReleaseFromUrlOptions,
  type ImportReleaseFromUrlResult,
} from './import-release-url';

/** Largest /releases index accepted. */
const MAX_INDEX_BYTES = 16 * 1024 * 1024;

const indexSchema = z.object({
  releases: z.array(
    z.object({
      name: z.string().regex(RELEASE_NAME),
      version: z.string().regex(RELEASE_NAME),
      contentSha256: z.string(),
    }),
  ),
});

/** Options of {@link mirrorReleases}. */
export interface MirrorReleasesOptions extends Omit<ImportReleaseFromUrlOptions, 'url' | 'replace'> {
  /** The other nashub's base URL, e.g. `http://host:4000`. */
  from: string;
  /** Called before each release is imported. */
  onRelease?(release: { name: string; version: string; url: string }): void;
}

/** What {@link mirrorReleases} did. */
export interface MirrorReleasesResult {
  /** Releases imported now. */
  imported: ImportReleaseFromUrlResult[];
  /** Releases this store already had (name, version and content). */
  present: Array<{ name: string; version: string }>;
}

/**
 * Imports every release another nashub lists at `/releases` that this store has not recorded, one by one, each
 * verified before it is written (see importReleaseFromUrl). Running it again imports nothing. A release this store
 * holds under the same name and version with other content is CONFLICT before anything is imported.
 */
export async function mirrorReleases(options: MirrorReleasesOptions): Promise<MirrorReleasesResult> {
  const index = await fetchIndex(options.from, options.timeoutMs);
  const local = new Map(
    (await listReleases(options.dataSource.manager)).map((r) => [`${r.name}\n${r.version}`, r.manifest.contentSha256]),
  );
  const missing = index.releases.filter((r) => !local.has(`${r.name}\n${r.version}`));
  const present = index.releases.filter((r) => local.has(`${r.name}\n${r.version}`));
  const conflicts = present.filter((r) => local.get(`${r.name}\n${r.version}`) !== r.contentSha256);
  if (conflicts.length > 0)
    throw new NashubError(
      ErrorCode.CONFLICT,
      `this store holds other content under ${conflicts.map((r) => `${r.name} ${r.version}`).join(', ')}; releases are immutable, nothing was mirrored`,
      { details: { releases: conflicts.map((r) => ({ name: r.name, version: r.version })) } },
    );
  const imported: ImportReleaseFromUrlResult[] = [];
  for (const release of missing) {
    const url = new URL(
      `releases/${encodeURIComponent(release.name)}/${encodeURIComponent(release.version)}/`,
      baseOf(options.from),
    ).href;
    options.onRelease?.({ name: release.name, version: release.version, url });
    imported.push(await importReleaseFromUrl({ ...options, url, replace: false }));
  }
  return { imported, present: present.map((r) => ({ name: r.name, version: r.version })) };
}

/** The server's root URL (ending in `/`) from `--from`; INVALID_ARGUMENT when it is not an http(s) URL. */
function baseOf(from: string): URL {
  let url: URL;
  try {
    url = new URL(from);
  } catch (error) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--from ${from} is not a URL`, {
      details: { option: '--from' },
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--from must be http:// or https://, got ${url.protocol}`, {
      details: { option: '--from' },
    });
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/?(releases\/?)?$/, '/');
  return url;
}

async function fetchIndex(from: string, timeoutMs: number): Promise<z.output<typeof indexSchema>> {
  const url = new URL('releases', baseOf(from));
  const { response } = await httpGet(url, { headers: { accept: 'application/json' }, timeoutMs });
  if (response.statusCode !== 200) {
    response.resume();
    if (response.statusCode === 404)
      throw new NashubError(ErrorCode.NOT_FOUND, `${url.href} answered 404: not a nashub that serves releases`, {
        details: { url: url.href },
      });
    throw downloadFailed('status', `${url.href} answered HTTP ${response.statusCode}`, url);
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_INDEX_BYTES) {
      response.destroy();
      throw downloadFailed('bytes', `${url.href} is larger than ${MAX_INDEX_BYTES} bytes`, url);
    }
    chunks.push(chunk);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new NashubError(ErrorCode.RELEASE_INVALID, `${url.href} is not a nashub release index (not JSON)`, {
      details: { file: url.href, reason: 'index' },
      cause: error,
    });
  }
  return parseWithSchema(indexSchema, raw, {
    code: ErrorCode.RELEASE_INVALID,
    what: `release index ${url.href}`,
    details: { file: url.href },
  });
}
