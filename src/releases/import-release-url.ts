import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DataSource } from 'typeorm';
import { isNashubError } from '../core';
import type { ImportProgress } from '../store/import';
import {
  findRelease,
  importRelease,
  releaseConflict,
  type ImportReleaseResult,
  type ReleaseManifest,
} from '../store/release';
import { takeDownloadLock } from './download-lock';
import { downloadRelease } from './download-release';
import { releaseBaseUrl } from './release-url';

/** Folder under the release folder where downloads wait to be verified and imported. */
export const DOWNLOADS_DIR = '.downloads';

/** Options of {@link importReleaseFromUrl}. */
export interface ImportReleaseFromUrlOptions {
  dataSource: DataSource;
  /** The release's URL: its folder (`http://host/releases/nb201/1.0.0/`) or its manifest.json. */
  url: string;
  /** This store's release folder: the download lands beside it, and the verified release is placed in it. */
  releasesDir: string;
  /** Overwrite stored values the release changes. */
  replace: boolean;
  /** Idle timeout of each request, in milliseconds. */
  timeoutMs: number;
  /** Resumes per file after a connection is cut mid-file. */
  retries: number;
  /** Bytes downloaded. */
  onDownload?(progress: { file: string; done: number; total: number }): void;
  /** Rows imported. */
  onImport?(progress: ImportProgress & { file: string; space: string }): void;
}

/** What {@link importReleaseFromUrl} did. */
export interface ImportReleaseFromUrlResult extends ImportReleaseResult {
  url: string;
  /** Where this store now serves the release from (null: a folder was there already). */
  dir: string | null;
}

/**
 * Imports a release by URL: downloads it (resuming a part a cut-off attempt left), verifies every file's size, sha256,
 * columns and row count before any write, then imports it in one transaction that also records the release, whose
 * folder moves into this store's release folder so that this server serves it too. Any failure but a cut-off
 * connection (DOWNLOAD_FAILED with `details.resumable`) removes the download folder; nothing is written either way.
 */
export async function importReleaseFromUrl(options: ImportReleaseFromUrlOptions): Promise<ImportReleaseFromUrlResult> {
  const base = releaseBaseUrl(options.url);
  const key = createHash('sha256').update(base.href).digest('hex').slice(0, 16);
  const download = join(options.releasesDir, DOWNLOADS_DIR, key);
  const unlock = takeDownloadLock(`${download}.lock`, base.href);
  try {
    const manifest = await downloadRelease({
      base,
      dir: download,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      onProgress: options.onDownload,
    });
    await checkNotConflicting(options.dataSource, manifest);
    const target = join(options.releasesDir, manifest.name, manifest.version);
    const placeable = !existsSync(target);
    let placed = false;
    const result = await importRelease({
      dataSource: options.dataSource,
      dir: download,
      replace: options.replace,
      onProgress: options.onImport,
      record: {
        place: () => {
          if (!placeable) return;
          mkdirSync(dirname(target), { recursive: true });
          renameSync(download, target);
          placed = true;
        },
        unplace: () => {
          if (placeable) rmSync(target, { recursive: true, force: true });
        },
      },
    });
    // Not placed (a folder was there already): the verified download has served its purpose.
    rmSync(download, { recursive: true, force: true });
    return { ...result, url: base.href, dir: placed ? target : null };
  } catch (error) {
    if (!(isNashubError(error) && error.details.resumable === true)) rmSync(download, { recursive: true, force: true });
    throw error;
  } finally {
    unlock();
  }
}

/** A recorded release of the same name and version with other content fails before anything is imported. */
async function checkNotConflicting(dataSource: DataSource, manifest: ReleaseManifest): Promise<void> {
  const stored = await findRelease(dataSource.manager, manifest.name, manifest.version);
  if (stored && stored.manifest.contentSha256 !== manifest.contentSha256)
    throw releaseConflict(manifest, stored.manifest.contentSha256);
}
