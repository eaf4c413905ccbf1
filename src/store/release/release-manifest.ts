import { createHash } from 'node:crypto';

/** What selected the runs of a release (null: no restriction). */
export interface ReleaseFilter {
  space: string | null;
  dataset: string | null;
  protocol: string | null;
}

/** A protocol the release's runs use, as stored; an import declares it. */
export interface ReleaseProtocol {
  name: string;
  epochs: number;
  hyperparameters: Record<string, unknown>;
  description: string;
}

/** Size and checksum of one data file. */
export interface ReleaseFileEntry {
  /** Data rows (the CSV header is not a row). */
  rows: number;
  bytes: number;
  /** Hex sha256 of the file's bytes. */
  sha256: string;
}

/** manifest.json of a release. */
export interface ReleaseManifest {
  /** {@link RELEASE_FORMAT}: the folder layout and columns. */
  format: string;
  name: string;
  version: string;
  /** nashub's package version that wrote the release. */
  nashubVersion: string;
  /** Last migration of the store it came from. */
  schemaVersion: string | null;
  /** ISO 8601 time of the first publication. */
  createdAt: string;
  filters: ReleaseFilter;
  /** Protocols of the released runs, by name. */
  protocols: ReleaseProtocol[];
  /** Every data file by name. */
  files: Record<string, ReleaseFileEntry>;
  /** {@link contentSha256} of the data files: the same runs and curves give the same value. */
  contentSha256: string;
}

/**
 * The release's content hash: sha256 of `sha256sum`-style lines (`<hex>  <name>\n`) of the data files in file-name
 * order, so it depends on the data files' bytes only, never on the manifest's time or filters.
 */
export function contentSha256(files: Record<string, Pick<ReleaseFileEntry, 'sha256'>>): string {
  const lines = Object.keys(files)
    .sort()
    .map((name) => `${files[name].sha256}  ${name}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}

/**
 * manifest.json's text: keys sorted at every level, two-space indent, a final newline. The same manifest, fresh or
 * read back from the database's jsonb (which reorders keys), gives the same bytes.
 */
export function formatManifest(manifest: ReleaseManifest): string {
  return `${JSON.stringify(sortKeys(manifest), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
