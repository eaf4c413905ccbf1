import { createHash } from 'node:crypto';
import { z } from 'zod';
import { RELEASE_DATA_FILES, RELEASE_FORMAT, RELEASE_FORMATS } from './release-files';
import { releaseProvenanceSchema } from './release-origin';
import { sortKeys } from './sort-keys';

const SHA256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be a hex sha256' });
const text = z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' });
const count = (what: string) =>
  z
    .number({ error: `must be ${what}` })
    .int({ error: `must be ${what}` })
    .min(0, { error: `must be ${what}` });

/** What selected the runs of a release (null: no restriction). */
const releaseFilterSchema = z.object({
  space: z.string().nullable(),
  dataset: z.string().nullable(),
  protocol: z.string().nullable(),
});
/** What selected the runs of a release (null: no restriction). */
export type ReleaseFilter = z.output<typeof releaseFilterSchema>;

const releaseProtocolSchema = z.object({
  name: z.string(),
  epochs: z.number().int().min(1, { error: 'must be a positive integer' }),
  /** Optional when reading: an importer declares a protocol without them as `{}` and `''`. */
  hyperparameters: z.record(z.string(), z.unknown()).optional(),
  description: z.string().optional(),
});
/** A protocol the release's runs use, as stored; an import declares it. */
export type ReleaseProtocol = z.output<typeof releaseProtocolSchema>;

const releaseFileEntrySchema = z.object(
  {
    /** Data rows (the CSV header is not a row). */
    rows: count('a count'),
    bytes: count('a size in bytes'),
    /** Hex sha256 of the file's bytes. */
    sha256: SHA256,
  },
  { error: 'is missing' },
);
/** Size and checksum of one data file. */
export type ReleaseFileEntry = z.output<typeof releaseFileEntrySchema>;

/**
 * manifest.json of a release. Loose at the top, so that a manifest is stored and placed again with every key it had;
 * `files` must hold every data file of {@link RELEASE_DATA_FILES}.
 */
export const releaseManifestSchema = z
  .looseObject(
    {
      /** {@link RELEASE_FORMAT} (or format 1, still read): the folder layout and columns. */
      format: z.enum(RELEASE_FORMATS, {
        error: (issue) => `must be "${RELEASE_FORMAT}", got ${JSON.stringify(issue.input ?? null)}`,
      }),
      name: text,
      version: text,
      /** nashub's package version that wrote the release. */
      nashubVersion: text,
      /** Last migration of the store it came from. */
      schemaVersion: z.string().nullable(),
      /** ISO 8601 time of the first publication. */
      createdAt: text,
      filters: releaseFilterSchema,
      /** Protocols of the released runs, by name. */
      protocols: z.array(releaseProtocolSchema, { error: 'must be a list' }),
      /** Every data file by name. */
      files: z
        .record(z.string(), releaseFileEntrySchema, { error: 'must map file names to { rows, bytes, sha256 }' })
        .superRefine((files, ctx) => {
          for (const { name } of RELEASE_DATA_FILES)
            if (!(name in files)) ctx.addIssue({ code: 'custom', path: [name], message: 'is missing' });
        }),
      /** {@link contentSha256} of the data files: the same runs and curves give the same value. */
      contentSha256: text.pipe(SHA256),
      /**
       * Where the runs came from (format 2: checked, each origin's id its hash; format 1 had no ids and is kept as
       * written).
       */
      provenance: z.unknown().optional(),
    },
    { error: 'must be a JSON object' },
  )
  .superRefine((manifest, ctx) => {
    if (manifest.format !== RELEASE_FORMAT) return;
    const parsed = releaseProvenanceSchema.safeParse(manifest.provenance);
    if (!parsed.success)
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', path: ['provenance', ...issue.path], message: issue.message });
  });
/** manifest.json of a release. */
export type ReleaseManifest = z.output<typeof releaseManifestSchema>;

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
