import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { ErrorCode, NashubError, getSpace } from '../../core';
import { fileSha256 } from '../import/file-sha256';
import { readSchemaVersion } from '../schema-version';
import { recordRelease, type RecordReleaseStatus } from './record-release';
import {
  MANIFEST_FILE,
  RELEASE_DATA_FILES,
  RELEASE_FORMAT,
  RELEASE_NAME,
  ReleaseTable,
  releaseFileName,
} from './release-files';
import { findPredecessor } from './find-releases';
import { releaseChanges, type ReleaseChanges } from './release-changes';
import {
  contentSha256,
  formatManifest,
  type ReleaseFileEntry,
  type ReleaseFilter,
  type ReleaseManifest,
} from './release-manifest';
import { writeReleaseTables } from './write-release-tables';

/** Options of {@link publishRelease}. */
export interface PublishReleaseOptions {
  dataSource: DataSource;
  /** Release name, e.g. `nb201-cifar10`: letters, digits and `._+-`. */
  name: string;
  /** Release version, e.g. `1.0.0`: letters, digits and `._+-`. */
  version: string;
  /** Folder to create; it must be absent or empty. */
  outDir: string;
  /** Which runs; a field left out selects all. */
  filter?: Partial<ReleaseFilter>;
  /** nashub's package version, written to the manifest. */
  nashubVersion: string;
  /**
   * Where an earlier version of this release lies (`NASHUB_RELEASES/<name>/<version>`): its records.parquet gives the
   * manifest's change summary. Absent, or the folder gone: the manifest names the predecessor without changes.
   */
  predecessorDir?(version: string): string;
  /** Fraction of the work done, 0..1, as the tables are written (curves are most of it). */
  onProgress?(fraction: number): void;
  /** Clock of the manifest's `createdAt` (default: now). */
  now?: () => Date;
}

/** What {@link publishRelease} did. */
export interface PublishReleaseResult {
  /** ALREADY_PUBLISHED: the same name, version and content exist; the folder holds the stored manifest. */
  status: RecordReleaseStatus;
  dir: string;
  manifest: ReleaseManifest;
}

/**
 * Publishes an immutable release: records and curves as Parquet and CSV with rows in a fixed order (the same content
 * gives byte-identical data files) plus manifest.json with row counts and sha256s, and a `release` row. Files are
 * written into a temporary sibling folder that is renamed into place only when the row commits.
 */
export async function publishRelease(options: PublishReleaseOptions): Promise<PublishReleaseResult> {
  for (const field of ['name', 'version'] as const) {
    if (!RELEASE_NAME.test(options[field])) {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `release ${field} "${options[field]}" must be 1-128 letters, digits or ._+- (starting with a letter or digit)`,
        {
          details: { option: `--${field}` },
        },
      );
    }
  }
  const filter: ReleaseFilter = {
    space: options.filter?.space ?? null,
    dataset: options.filter?.dataset ?? null,
    protocol: options.filter?.protocol ?? null,
  };
  if (filter.space !== null) getSpace(filter.space);
  const outDir = resolve(options.outDir);
  checkOutDir(outDir);
  const schemaVersion = await readSchemaVersion(options.dataSource);
  const staging = createStaging(outDir);
  try {
    const tables = await writeReleaseTables({
      dataSource: options.dataSource,
      dir: staging,
      filter,
      onProgress: (p) => options.onProgress?.(p.phase === 'records' ? 0.1 : 0.1 + (0.8 * p.done) / p.total),
    });
    const rows: Record<string, number> = { records: tables.records, curves: tables.curves };
    const files: Record<string, ReleaseFileEntry> = {};
    for (const file of RELEASE_DATA_FILES) {
      const path = join(staging, file.name);
      files[file.name] = { rows: rows[file.table], bytes: statSync(path).size, sha256: await fileSha256(path) };
    }
    const predecessor = await findPredecessor(options.dataSource.manager, options.name, options.version);
    const manifest: ReleaseManifest = {
      format: RELEASE_FORMAT,
      name: options.name,
      version: options.version,
      nashubVersion: options.nashubVersion,
      schemaVersion,
      createdAt: (options.now ?? (() => new Date()))().toISOString(),
      filters: filter,
      protocols: tables.protocols,
      files,
      contentSha256: contentSha256(files),
      provenance: tables.provenance,
      predecessor: predecessor && { version: predecessor.version, contentSha256: predecessor.manifest.contentSha256 },
      changes: predecessor && (await changesSince(predecessor.version, staging, options.predecessorDir)),
    };
    const recorded = await recordRelease({
      dataSource: options.dataSource,
      manifest,
      place: (placed) => {
        writeFileSync(join(staging, MANIFEST_FILE), formatManifest(placed));
        checkOutDir(outDir);
        renameSync(staging, outDir);
      },
      unplace: () => rmSync(outDir, { recursive: true, force: true }),
    });
    return { status: recorded.status, dir: outDir, manifest: recorded.manifest };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Runs added, changed and removed since the predecessor, or null when its folder is not at hand. */
async function changesSince(
  version: string,
  staging: string,
  predecessorDir: ((version: string) => string) | undefined,
): Promise<ReleaseChanges | null> {
  const records = releaseFileName(ReleaseTable.RECORDS, 'parquet');
  const before = predecessorDir && join(predecessorDir(version), records);
  if (!before || !existsSync(before)) return null;
  return releaseChanges(before, join(staging, records));
}

/** The output folder must be absent or an empty folder. */
function checkOutDir(dir: string): void {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory())
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--out ${dir} is a file, not a folder`, {
        details: { option: '--out' },
      });
    entries = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (entries.length > 0)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--out ${dir} is not empty; a release goes into a new folder`, {
      details: { option: '--out' },
    });
}

/** A fresh folder beside the output folder (same file system, so the final rename is atomic), with the umask's mode. */
function createStaging(outDir: string): string {
  try {
    mkdirSync(dirname(outDir), { recursive: true });
    const staging = join(dirname(outDir), `.${basename(outDir)}.partial-${randomBytes(6).toString('hex')}`);
    mkdirSync(staging);
    return staging;
  } catch (error) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `cannot create a folder beside ${outDir}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      {
        details: { option: '--out' },
        cause: error,
      },
    );
  }
}
