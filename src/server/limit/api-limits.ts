/** Limits every request is held to; exceeding one is a LIMIT_EXCEEDED error naming it. */
export interface ApiLimits {
  /** Most architectures in one `architectures(archs:)` call (NASHUB_MAX_ARCHS). */
  maxArchs: number;
  /** Most architectures `sample` returns. */
  maxSample: number;
  /** Largest `k` of `top`. */
  maxTop: number;
  /** Largest `first` of a connection. */
  maxPage: number;
  /** Deepest selection set (NASHUB_MAX_DEPTH). */
  maxDepth: number;
  /** Highest query complexity (NASHUB_MAX_COMPLEXITY): each field costs 1, list arguments multiply their children. */
  maxComplexity: number;
}

/** The defaults the issue asks for: 10,000 archs per call. */
export const DEFAULT_LIMITS: ApiLimits = {
  maxArchs: 10_000,
  maxSample: 10_000,
  maxTop: 1_000,
  maxPage: 1_000,
  maxDepth: 12,
  maxComplexity: 1_000_000,
};
