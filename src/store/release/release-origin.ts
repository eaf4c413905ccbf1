import { createHash } from 'node:crypto';
import { z } from 'zod';
import { sortKeys } from './sort-keys';

const count = z.number().int().min(0, { error: 'must be a count' });

/** What an origin is, without its counts: the text its id hashes. */
const originDescriptionShape = {
  /** The runs' `source` column: IMPORTED or TRAINED. */
  source: z.enum(['IMPORTED', 'TRAINED'], { error: 'must be IMPORTED or TRAINED' }),
  /** The imported file's name, sha256 and column mapping (null for runs no import wrote). */
  import: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), mapping: z.unknown() }).nullable(),
  /** For TRAINED runs: the protocol, the trainer's `backend/device` and nashub version; null otherwise. */
  protocol: z.string().nullable(),
  hardware: z.string().nullable(),
  nashubVersion: z.string().nullable(),
};

/** Where runs came from, as an id hashes it: an imported file (with its mapping), or nashub's trainer. */
export type ReleaseOriginDescription = {
  [K in keyof typeof originDescriptionShape]: z.output<(typeof originDescriptionShape)[K]>;
};

/** One entry of a manifest's `provenance.origins`: an origin, its id (the records' `origin` column) and its runs. */
export const releaseOriginSchema = z
  .object({
    /** {@link releaseOriginId} of the description: 16 hex digits. */
    id: z.string().regex(/^[0-9a-f]{16}$/, { error: 'must be 16 hex digits' }),
    ...originDescriptionShape,
    /** Runs of the release from this origin. */
    runs: count,
    /** Of them, published seed means (`seed` empty) and single seeds. */
    seedMeans: count,
    singleSeeds: count,
  })
  .refine((origin) => origin.id === releaseOriginId(origin), {
    error: 'id must be the hash of the origin (source, import, protocol, hardware, nashubVersion)',
    path: ['id'],
  });
/** One entry of a manifest's `provenance.origins`. */
export type ReleaseOrigin = z.output<typeof releaseOriginSchema>;

/** `provenance` of a manifest (format 2): where the runs came from and what kind of values they hold. */
export const releaseProvenanceSchema = z.object({
  /** One entry per origin, most runs first, then by id. */
  origins: z.array(releaseOriginSchema),
  /**
   * Values by kind: a published mean over seeds (`seed` empty, `seed_count` seeds when known), a single seed, or
   * imputed (nashub stores no imputed values, so always 0; the field says so explicitly).
   */
  values: z.object({ seedMean: count, singleSeed: count, imputed: count }),
});
/** Where a release's runs came from and what kind of values they hold. */
export type ReleaseProvenance = z.output<typeof releaseProvenanceSchema>;

/**
 * An origin's id: the first 16 hex digits of the sha256 of its description as canonical JSON (keys sorted, no
 * spaces). It depends on the description only, so the same origin has the same id in every store and release, and a
 * store that imported a release writes the same `origin` column when it publishes those runs again.
 */
export function releaseOriginId(origin: ReleaseOriginDescription): string {
  const { source, import: imported, protocol, hardware, nashubVersion } = origin;
  const text = JSON.stringify(sortKeys({ source, import: imported, protocol, hardware, nashubVersion }));
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** What a records row's `value_kind` says: a published mean over seeds, one seed's value, or an imputed value. */
export const ValueKind = { SEED_MEAN: 'SEED_MEAN', SINGLE_SEED: 'SINGLE_SEED', IMPUTED: 'IMPUTED' } as const;
/** One of {@link ValueKind}'s values. */
export type ValueKindValue = (typeof ValueKind)[keyof typeof ValueKind];
