import { createReadStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import { ErrorCode, NashubError } from '../../core';
import { fileSha256 } from '../import/file-sha256';
import { fileBuffer } from '../import/parquet-file-buffer';
import { parseManifest } from './parse-manifest';
import { MANIFEST_FILE, RELEASE_FORMAT, releaseDataFiles, type ReleaseDataFile } from './release-files';
import { contentSha256, type ReleaseManifest } from './release-manifest';
import { ValueKind, releaseProvenanceSchema } from './release-origin';

/** A release folder whose files match its manifest. */
export interface VerifiedRelease {
  dir: string;
  manifest: ReleaseManifest;
  /** Search spaces of its records, sorted. */
  spaces: string[];
  /** Format 2: each records row's key and origin, in file order (the import attaches the origins); format 1: null. */
  origins: ReleaseRunOrigin[] | null;
}

/** A records row's run key and the id of its origin in the manifest. */
export interface ReleaseRunOrigin {
  space: string;
  arch_id: string;
  dataset: string;
  protocol: string;
  seed: number | null;
  origin: string;
}

/**
 * Checks a release folder before anything is imported: the manifest's shape, then every data file's size, sha256,
 * columns and row count, then the content hash. Any difference is RELEASE_INVALID naming the file.
 */
export async function verifyRelease(dir: string): Promise<VerifiedRelease> {
  const manifestPath = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch (error) {
    throw new NashubError(
      ErrorCode.RELEASE_INVALID,
      `${dir} holds no readable ${MANIFEST_FILE}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      {
        details: { file: manifestPath },
        cause: error,
      },
    );
  }
  const manifest = parseManifest(text, manifestPath);
  for (const file of releaseDataFiles(manifest.format)) await verifyFile(dir, file, manifest);
  if (contentSha256(manifest.files) !== manifest.contentSha256) {
    throw new NashubError(
      ErrorCode.RELEASE_INVALID,
      `${manifestPath}: contentSha256 does not match the files' sha256s`,
      { details: { file: manifestPath, field: 'contentSha256' } },
    );
  }
  const records = join(dir, 'records.parquet');
  if (manifest.format !== RELEASE_FORMAT) return { dir, manifest, spaces: await readSpaces(records), origins: null };
  const origins = await readOrigins(records, manifest);
  return { dir, manifest, spaces: [...new Set(origins.map((row) => row.space))].sort(), origins };
}

/**
 * The records' run keys and origins, checked: every `origin` is an id of the manifest's origins, and `value_kind`
 * agrees with `seed` (an empty seed is a seed mean). IMPUTED is refused: the store cannot hold imputed values, and
 * importing them as measured ones would lose what they are.
 */
async function readOrigins(path: string, manifest: ReleaseManifest): Promise<ReleaseRunOrigin[]> {
  const ids = new Set(releaseProvenanceSchema.parse(manifest.provenance).origins.map((o) => o.id));
  const file = await fileBuffer(path);
  let rows: Array<ReleaseRunOrigin & { value_kind: string }>;
  try {
    rows = (await parquetReadObjects({
      file,
      columns: ['space', 'arch_id', 'dataset', 'protocol', 'seed', 'origin', 'value_kind'],
    })) as typeof rows;
  } finally {
    await file.close();
  }
  const fail = (reason: string, problem: string) =>
    new NashubError(ErrorCode.RELEASE_INVALID, `records.parquet: ${problem}; nothing was imported`, {
      details: { file: path, reason },
    });
  rows.forEach((row, i) => {
    if (!ids.has(row.origin))
      throw fail('origin', `row ${i + 1} names origin ${JSON.stringify(row.origin)}, not one of the manifest's`);
    const kind = row.seed === null ? ValueKind.SEED_MEAN : ValueKind.SINGLE_SEED;
    if (row.value_kind === ValueKind.IMPUTED)
      throw fail('value_kind', `row ${i + 1} holds imputed values, which a nashub store cannot keep as such`);
    if (row.value_kind !== kind)
      throw fail('value_kind', `row ${i + 1} says ${JSON.stringify(row.value_kind)} but its seed makes it ${kind}`);
  });
  return rows.map(({ space, arch_id, dataset, protocol, seed, origin }) => ({
    space,
    arch_id,
    dataset,
    protocol,
    seed,
    origin,
  }));
}

async function verifyFile(dir: string, file: ReleaseDataFile, manifest: ReleaseManifest): Promise<void> {
  const path = join(dir, file.name);
  const expected = manifest.files[file.name];
  const fail = (reason: string, problem: string, cause?: unknown) =>
    new NashubError(
      ErrorCode.RELEASE_INVALID,
      `${file.name}: ${problem}; the release is damaged or was changed, nothing was imported`,
      {
        details: { file: path, reason },
        cause,
      },
    );
  let bytes: number;
  try {
    bytes = statSync(path).size;
  } catch (error) {
    throw fail('missing', `cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`, error);
  }
  if (bytes !== expected.bytes)
    throw fail('bytes', `it has ${bytes} bytes, the manifest says ${expected.bytes} (truncated?)`);
  if ((await fileSha256(path)) !== expected.sha256) throw fail('sha256', 'its sha256 differs from the manifest');
  let shape: { columns: string[]; rows: number };
  try {
    shape = file.format === 'parquet' ? await parquetShape(path) : await csvShape(path);
  } catch (error) {
    throw fail('unreadable', `it cannot be read as ${file.format}: ${(error as Error).message}`, error);
  }
  const columns = file.columns.map((c) => c.name);
  if (shape.columns.join(',') !== columns.join(','))
    throw fail('columns', `its columns are ${shape.columns.join(', ')}; expected ${columns.join(', ')}`);
  if (shape.rows !== expected.rows) throw fail('rows', `it has ${shape.rows} rows, the manifest says ${expected.rows}`);
}

async function parquetShape(path: string): Promise<{ columns: string[]; rows: number }> {
  const file = await fileBuffer(path);
  try {
    const metadata = await parquetMetadataAsync(file);
    return {
      columns: parquetSchema(metadata).children.map((child) => child.element.name),
      rows: Number(metadata.num_rows),
    };
  } finally {
    await file.close();
  }
}

/** Header and record count of a CSV file, by parsing it (a quoted field may hold a line break). */
async function csvShape(path: string): Promise<{ columns: string[]; rows: number }> {
  let columns: string[] | undefined;
  let rows = 0;
  for await (const record of createReadStream(path).pipe(parse()) as AsyncIterable<string[]>) {
    if (columns) rows += 1;
    else columns = record;
  }
  return { columns: columns ?? [], rows };
}

async function readSpaces(path: string): Promise<string[]> {
  const file = await fileBuffer(path);
  try {
    const rows = await parquetReadObjects({ file, columns: ['space'] });
    return [...new Set(rows.map((row) => String(row.space)))].sort();
  } finally {
    await file.close();
  }
}
