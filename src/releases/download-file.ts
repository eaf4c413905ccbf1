import { open, stat, truncate } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { ErrorCode, NashubError, isNashubError } from '../core';
import { fileSha256 } from '../store/import/file-sha256';
import { downloadFailed, httpGet } from './http-get';

/** Options of {@link downloadFile}. */
export interface DownloadFileOptions {
  url: URL;
  /** Where the file goes; a part already there from an interrupted download is resumed with `Range`. */
  path: string;
  /** The file's name in the manifest, for errors. */
  name: string;
  /** Size and sha256 the manifest gives. */
  expected: { bytes: number; sha256: string };
  /** Idle timeout of each request, in milliseconds. */
  timeoutMs: number;
  /** Further requests after a connection is cut mid-file, each resuming where the last stopped. */
  retries: number;
  /** Bytes written, as they come. */
  onBytes?(bytes: number): void;
}

/**
 * Downloads one release file, resuming a partial one with `Range` and `If-Range` (the ETag is the manifest's sha256),
 * then checks its sha256. It stops reading as soon as the file would outgrow its manifest size (RELEASE_INVALID,
 * reason `bytes`); a changed file is RELEASE_INVALID with reason `sha256`; a connection cut more often than `retries`
 * allows is DOWNLOAD_FAILED with reason `interrupted` and `details.resumable`, the part kept for the next attempt.
 */
export async function downloadFile(options: DownloadFileOptions): Promise<void> {
  const { url, path, name, expected } = options;
  const invalid = (reason: string, problem: string) =>
    new NashubError(ErrorCode.RELEASE_INVALID, `${name}: ${problem}; nothing was imported`, {
      details: { file: name, url: url.href, reason },
    });
  for (let attempt = 0; ; attempt++) {
    let have = await sizeOf(path);
    if (have > expected.bytes) {
      await truncate(path, 0);
      have = 0;
    }
    if (have < expected.bytes) {
      try {
        await fetchRest({ ...options, have, invalid });
      } catch (error) {
        const cut = isNashubError(error) ? null : error;
        if (!cut) throw error;
        if (attempt < options.retries) continue;
        throw new NashubError(
          ErrorCode.DOWNLOAD_FAILED,
          `${url.href} was cut off at ${await sizeOf(path)} of ${expected.bytes} bytes (${(cut as Error).message}); run the import again to resume`,
          { details: { reason: 'interrupted', url: url.href, file: name, resumable: true }, cause: cut },
        );
      }
    }
    if ((await sizeOf(path)) < expected.bytes) {
      if (attempt < options.retries) continue;
      throw new NashubError(
        ErrorCode.DOWNLOAD_FAILED,
        `${url.href} ended early at ${await sizeOf(path)} of ${expected.bytes} bytes; run the import again to resume`,
        { details: { reason: 'interrupted', url: url.href, file: name, resumable: true } },
      );
    }
    if ((await fileSha256(path)) !== expected.sha256)
      throw invalid('sha256', 'its sha256 differs from the manifest (the file was changed or damaged on the server)');
    return;
  }
}

/** One request for the bytes from `have` on, appended to the file. Connection errors come out untyped (retryable). */
async function fetchRest(
  options: DownloadFileOptions & { have: number; invalid(reason: string, problem: string): NashubError },
): Promise<void> {
  const { url, path, expected, have, invalid } = options;
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (have > 0) {
    headers.range = `bytes=${have}-`;
    headers['if-range'] = `"${expected.sha256}"`;
  }
  const { response } = await httpGet(url, { headers, timeoutMs: options.timeoutMs });
  let start: number;
  if (response.statusCode === 206 && have > 0 && contentRangeStart(response) === have) start = have;
  else if (response.statusCode === 200) start = 0;
  else {
    response.resume();
    if (response.statusCode === 404) throw invalid('missing', `the server has no such file (404 at ${url.href})`);
    if (response.statusCode === 416 || response.statusCode === 206) {
      // The server's file is shorter than our part, or it answered another range: start over.
      await truncate(path, 0);
      throw new Error(`the server answered ${response.statusCode} to a resume; starting over`);
    }
    throw downloadFailed('status', `${url.href} answered HTTP ${response.statusCode}`, url);
  }
  const length = Number(response.headers['content-length'] ?? NaN);
  if (start + length > expected.bytes) {
    response.destroy();
    throw invalid('bytes', `the server sends ${start + length} bytes, the manifest says ${expected.bytes}`);
  }
  const file = await open(path, start === 0 ? 'w' : 'a');
  try {
    let written = start;
    for await (const chunk of response as AsyncIterable<Buffer>) {
      if (written + chunk.length > expected.bytes) {
        response.destroy();
        throw invalid('bytes', `it is larger than the manifest's ${expected.bytes} bytes; stopped reading there`);
      }
      await file.write(chunk);
      written += chunk.length;
      options.onBytes?.(chunk.length);
    }
  } finally {
    await file.close();
  }
}

function contentRangeStart(response: IncomingMessage): number | null {
  const match = /^bytes (\d+)-\d+\/\d+$/.exec(response.headers['content-range'] ?? '');
  return match ? Number(match[1]) : null;
}

async function sizeOf(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.size,
    () => 0,
  );
}
