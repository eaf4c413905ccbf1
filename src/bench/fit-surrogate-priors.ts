import { createRng, getSpace } from '../core';
import { selectBackend } from '../predictor/backend/select-backend';
import { assignFolds, type SurrogatePrior } from '../predictor/lce';
import { createPredictor } from '../predictor/surrogate/create-predictor';
import { unlabelledArchitectures } from '../predictor/surrogate/unlabelled-architectures';
import { readTargetTable } from './read-target-table';

/** Options of {@link fitSurrogatePriors}. */
export interface FitSurrogatePriorsOptions {
  /** CSV of architectures and final values (e.g. nb201_summary.csv). */
  dataFile: string;
  /** Column of the final value, in the curves' scale (e.g. `cifar10_valid_acc`, percent). */
  targetColumn: string;
  /** Column of the architecture strings (default `arch_str`). */
  archColumn?: string;
  /** Search space of the architectures. */
  space: string;
  /** Surrogate kind (default ENSEMBLE). */
  kind?: string;
  /** Training architectures drawn (seeded) from the table after the exclusions; null: all of them. */
  trainSize: number | null;
  /** Architectures to predict; they (and, with `excludeIsomorphs`, every architecture isomorphic to one of them) are left out of training. */
  archs: readonly string[];
  /** Also leave out the architectures isomorphic to one of `archs` (the space's `isoClass`; default true). */
  excludeIsomorphs?: boolean;
  /** Seed of the draw and of the surrogate's fit. */
  seed: number;
}

/** Priors of {@link fitSurrogatePriors}, with what the surrogate was trained on. */
export interface SurrogatePriors {
  /** One prior per architecture of `archs`, in the target's units. */
  priors: SurrogatePrior[];
  /** Architectures the surrogate trained on. */
  trainSize: number;
  /** Rows of the table left out because they are (or are isomorphic to) an architecture of `archs`. */
  excluded: number;
  /** Seconds to fit. */
  fitSeconds: number;
}

/**
 * Fits an architecture surrogate on a summary table with every architecture to be predicted (and its isomorphs)
 * left out, so that the priors of the benchmarked curves are out-of-sample, and predicts those architectures.
 */
export async function fitSurrogatePriors(options: FitSurrogatePriorsOptions): Promise<SurrogatePriors> {
  await selectBackend();
  const space = getSpace(options.space);
  const table = readTargetTable({
    file: options.dataFile,
    space,
    archColumn: options.archColumn ?? 'arch_str',
    targetColumn: options.targetColumn,
  });
  const targets = options.archs.map((text) => space.parse(text));
  // Isomorphic NB201 cells compute the same function, so their table values are near-copies of the held-out one's.
  const isomorphs = options.excludeIsomorphs ?? true;
  const ids = new Set(targets.map((arch) => space.id(arch)));
  const classes = new Set(isomorphs ? targets.map((arch) => space.isoClass(arch)) : []);
  const pool = table.archs.flatMap((arch, i) =>
    ids.has(space.id(arch)) || classes.has(space.isoClass(arch)) ? [] : [i],
  );
  const size = options.trainSize === null ? pool.length : Math.min(options.trainSize, pool.length);
  const order = assignFolds(pool.length, pool.length, createRng(options.seed));
  const train = pool.filter((_, k) => order[k]! < size);
  const predictor = createPredictor({ kind: options.kind ?? 'ENSEMBLE', space });
  try {
    const unlabelled =
      predictor.dataNeeds.unlabelled > 0
        ? unlabelledArchitectures({ space, count: predictor.dataNeeds.unlabelled, seed: options.seed })
        : undefined;
    const startedAt = performance.now();
    await predictor.fit(
      { space: space.name, archs: train.map((i) => table.archs[i]) },
      train.map((i) => table.targets[i]!),
      { seed: options.seed, unlabelled },
    );
    const fitSeconds = (performance.now() - startedAt) / 1000;
    const prediction = predictor.predict({ space: space.name, archs: targets });
    return {
      priors: targets.map((_, i) => ({ mean: prediction.mean[i]!, std: prediction.std[i]! })),
      trainSize: train.length,
      excluded: table.archs.length - pool.length,
      fitSeconds,
    };
  } finally {
    predictor.dispose();
  }
}
