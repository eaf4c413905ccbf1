import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, NashubError } from '../core';
import { MANIFEST_FILE, RELEASE_DATA_FILES, RELEASE_NAME, parseManifest, type ReleaseManifest } from '../store/release';
import { downloadFile } from './download-file';
import { downloadFailed, httpGet } from './http-get';

/** Largest manifest.json accepted: a real one is a few kilobytes. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Options of {@link downloadRelease}. */
export interface DownloadReleaseOptions {
  /** The release's folder URL (see releaseBaseUrl). */
  base: URL;
  /** Download folder; a part of the same release left there by an interrupted download is resumed. */
  dir: string;
  /** Idle timeout of each request, in milliseconds. */
  timeoutMs: number;
  /** Resumes per file after a connection is cut. */
  retries: number;
  /** Bytes downloaded of all data files. */
  onProgress?(progress: { file: string; done: number; total: number }): void;
}

/**
 * Downloads a release's manifest.json and data files into `dir` and checks each file's size and sha256 on the way
 * (rows and columns are checked by the import). A manifest that differs from the one of a part already in `dir`
 * discards that part. Only the data files the format names are fetched, by their fixed names: a manifest naming
 * another file (`../x`, say) is RELEASE_INVALID.
 */
export async function downloadRelease(options: DownloadReleaseOptions): Promise<ReleaseManifest> {
  const manifestUrl = new URL(MANIFEST_FILE, options.base);
  const text = await fetchManifestText(manifestUrl, options.timeoutMs);
  const manifest = parseManifest(text, manifestUrl.href);
  // The name and version become folder names in this store's release folder.
  for (const field of ['name', 'version'] as const) {
    if (!RELEASE_NAME.test(manifest[field]))
      throw new NashubError(
        ErrorCode.RELEASE_INVALID,
        `${manifestUrl.href}: ${field} ${JSON.stringify(manifest[field])} is not 1-128 letters, digits or ._+-`,
        { details: { file: manifestUrl.href, field, reason: 'path' } },
      );
  }
  const unknown = Object.keys(manifest.files).filter((name) => !RELEASE_DATA_FILES.some((f) => f.name === name));
  if (unknown.length > 0) {
    const traversal = unknown.some((name) => /[/\\]|^\.\.?$/.test(name));
    throw new NashubError(
      ErrorCode.RELEASE_INVALID,
      `${manifestUrl.href} names ${traversal ? 'a path outside the release' : 'files the release format does not have'}: ${unknown.map((n) => JSON.stringify(n)).join(', ')}`,
      { details: { file: manifestUrl.href, reason: traversal ? 'path' : 'unknown-file', names: unknown } },
    );
  }
  const manifestPath = join(options.dir, MANIFEST_FILE);
  if (readText(manifestPath) !== text) rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(options.dir, { recursive: true });
  writeFileSync(manifestPath, text);

  const total = RELEASE_DATA_FILES.reduce((sum, f) => sum + manifest.files[f.name].bytes, 0);
  let done = 0;
  for (const file of RELEASE_DATA_FILES) {
    const path = join(options.dir, file.name);
    await downloadFile({
      url: new URL(file.name, options.base),
      path,
      name: file.name,
      expected: manifest.files[file.name],
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      onBytes: (bytes) => {
        done += bytes;
        options.onProgress?.({ file: file.name, done, total });
      },
    });
  }
  return manifest;
}

/** manifest.json's text; a 404 is NOT_FOUND, HTML or an oversized body RELEASE_INVALID (not a nashub release). */
async function fetchManifestText(url: URL, timeoutMs: number): Promise<string> {
  const { response } = await httpGet(url, { headers: { accept: 'application/json' }, timeoutMs });
  if (response.statusCode === 404) {
    response.resume();
    throw new NashubError(ErrorCode.NOT_FOUND, `no release at ${url.href} (HTTP 404)`, {
      details: { url: url.href },
    });
  }
  if (response.statusCode !== 200) {
    response.resume();
    throw downloadFailed('status', `${url.href} answered HTTP ${response.statusCode}`, url);
  }
  const type = response.headers['content-type'] ?? '';
  if (/html/i.test(type)) {
    response.destroy();
    throw new NashubError(ErrorCode.RELEASE_INVALID, `${url.href} is a web page (${type}), not a release manifest`, {
      details: { file: url.href, reason: 'not-a-release' },
    });
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_MANIFEST_BYTES) {
      response.destroy();
      throw new NashubError(
        ErrorCode.RELEASE_INVALID,
        `${url.href} is larger than ${MAX_MANIFEST_BYTES} bytes: not a release manifest`,
        { details: { file: url.href, reason: 'bytes' } },
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
