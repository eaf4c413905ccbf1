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
  /** Most architectures in one page of `table` (columns of scalars cost far less per architecture than objects). */
  maxTablePage: number;
  /** Deepest selection set (NASHUB_MAX_DEPTH). */
  maxDepth: number;
  /**
   * Most work units of a request (NASHUB_MAX_COMPLEXITY): each field costs 1, list fields pay their selection per item
   * (their real or bounded size), forecasts and predictions what they cost (see `field-costs.ts`). Checked before
   * execution on the estimate and during execution on the real count.
   */
  maxComplexity: number;
  /** Most lexical tokens in a query document (NASHUB_MAX_TOKENS): parsing and validation time grow with them. */
  maxTokens: number;
  /** Largest response body in bytes (NASHUB_MAX_RESPONSE_BYTES). */
  maxResponseBytes: number;
  /** Deepest nesting of lists and objects in an argument or a variable. */
  maxInputDepth: number;
}

/** The defaults: 10,000 archs per call (what the issue asked for), and the rest sized so such a batch passes. */
export const DEFAULT_LIMITS: ApiLimits = {
  maxArchs: 10_000,
  maxSample: 10_000,
  maxTop: 1_000,
  maxPage: 1_000,
  maxTablePage: 10_000,
  maxDepth: 12,
  maxComplexity: 1_000_000,
  maxTokens: 10_000,
  maxResponseBytes: 16 * 1024 * 1024,
  maxInputDepth: 32,
};
