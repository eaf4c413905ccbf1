/** How a record aggregates a run's seeds. */
export const SeedMode = { MEAN: 'MEAN', SEED: 'SEED', RANDOM: 'RANDOM' } as const;
/** One of {@link SeedMode}'s values. */
export type SeedModeValue = (typeof SeedMode)[keyof typeof SeedMode];

/**
 * `MEAN`: mean and population std over the stored seeds (a published seed mean when no single-seed run exists);
 * `SEED`: that seed's run; `RANDOM`: one seed picked reproducibly from the client's seed.
 */
export type SeedChoice = { mode: 'MEAN' } | { mode: 'SEED'; seed: number } | { mode: 'RANDOM'; clientSeed: number };
