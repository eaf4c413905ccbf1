import type { Rng } from '../random/rng';

/** Encodings a predictor can ask a space for. */
export const EncodingKind = {
  ONEHOT: 'onehot',
  ADJACENCY: 'adjacency',
  PATH: 'path',
} as const;

/** One of {@link EncodingKind}'s values. */
export type EncodingKindValue = (typeof EncodingKind)[keyof typeof EncodingKind];

/** A fixed-length numeric vector (onehot, path). */
export interface VectorEncoding {
  kind: 'onehot' | 'path';
  vector: number[];
}

/** Op-as-node graph for a GNN: `features[node][opIndex]` one-hot, `adjacency[from][to]` 0/1. */
export interface GraphEncoding {
  kind: 'adjacency';
  features: number[][];
  adjacency: number[][];
  /** Index of the node whose embedding is the graph readout (the cell's output). */
  outputNode: number;
}

/** What `encode` returns. */
export type Encoding = VectorEncoding | GraphEncoding;

/** Size of the real network of an architecture under a macro configuration. */
export interface ArchitectureCost {
  /** Trainable parameters, in millions (as NAS-Bench-201 reports `params`). */
  paramsM: number;
  /** Multiply-accumulates of one forward pass at the macro's input size, in millions. */
  flopsM: number;
}

/**
 * A search space: the one place that knows how architectures of one benchmark are written, validated,
 * identified, sampled and encoded. `A` is the space's in-memory architecture; exchange it as `format(a)`.
 */
export interface SearchSpace<A = unknown, M = unknown> {
  /** Stable short name used everywhere as the space's id: `nb201`, `nb101`, `darts`. */
  readonly name: string;
  /** Human title: "NAS-Bench-201". */
  readonly title: string;
  /** Encodings `encode` supports for this space. */
  readonly encodings: readonly EncodingKindValue[];
  /** Number of architectures when the space is small enough to enumerate, else null. */
  readonly size: number | null;
  /** The macro configuration `cost` uses when none is given. */
  readonly defaultMacro: M;

  /** Parses text into an architecture; throws InvalidArchitectureError naming the position or field. */
  parse(text: string): A;
  /** Canonical text of an architecture; `parse(format(a))` equals `a` for canonical `a`. */
  format(arch: A): string;
  /** Checks an in-memory value (e.g. from JSON) and returns the canonical architecture, or throws. */
  validate(arch: unknown): A;
  /** The space's official identity key. */
  id(arch: A): string;
  /** Isomorphism-class key: functionally identical cells share it. */
  isoClass(arch: A): string;
  /** Uniform sample. */
  sample(rng: Rng): A;
  /** One random one-edit neighbour. */
  mutate(arch: A, rng: Rng): A;
  /** All one-edit neighbours, in a deterministic order. */
  neighbours(arch: A): A[];
  /** Predictor input; throws InvalidArgument for a kind not in `encodings`. */
  encode(arch: A, kind: EncodingKindValue): Encoding;
  /** Every architecture, in a deterministic order; throws NOT_ENUMERABLE when `size` is null. */
  enumerate(): Iterable<A>;
  /** Parameters and FLOPs of the real network for a macro configuration (defaults from `defaultMacro`). */
  cost(arch: A, macro?: Partial<M>): ArchitectureCost;
}
