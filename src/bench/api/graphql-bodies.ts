import type { Rng } from '../../core';

/** The single-architecture query the bench sends, one architecture per request. */
export const SINGLE_QUERY =
  'query($a: String!) { architecture(space: "nb201", arch: $a) { record(dataset: "cifar10-valid") { validAcc } } }';

/** The batch query the bench sends, many architectures per request. */
export const BATCH_QUERY =
  'query($archs: [String!]!) { architectures(space: "nb201", archs: $archs) { record(dataset: "cifar10-valid") { validAcc } } }';

/** One prepared single-query body per architecture. */
export function singleBodies(archs: readonly string[]): string[] {
  return archs.map((a) => JSON.stringify({ query: SINGLE_QUERY, variables: { a } }));
}

/** Options of {@link randomBatches}. */
export interface RandomBatchesOptions {
  /** Architectures to draw from. */
  keys: readonly string[];
  /** Keys per batch, drawn without replacement. */
  size: number;
  /** Batches to draw. */
  count: number;
  rng: Rng;
}

/** `count` batches of `size` distinct random indices into `keys`. */
export function randomBatches(options: RandomBatchesOptions): number[][] {
  const { keys, size, count, rng } = options;
  const order = keys.map((_, i) => i);
  return Array.from({ length: count }, () => {
    // Partial Fisher-Yates: the first `size` slots become a uniform sample without replacement.
    for (let i = 0; i < size; i++) {
      const j = i + rng.int(order.length - i);
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order.slice(0, size);
  });
}

/** The batch query's body for these architectures. */
export function batchBody(archs: readonly string[]): string {
  return JSON.stringify({ query: BATCH_QUERY, variables: { archs } });
}

/** The columnar query the bench sends: the batch query's architectures and value, as one column. */
export const TABLE_QUERY =
  'query($archs: [String!]!) { table(space: "nb201", dataset: "cifar10-valid", metrics: [VALID_ACC], archs: $archs, first: 10000) { ids columns { values } } }';

/** The table query's body for these architectures. */
export function tableBody(archs: readonly string[]): string {
  return JSON.stringify({ query: TABLE_QUERY, variables: { archs } });
}
