/** Summary of an observed curve that families use to choose their starting points. */
export interface CurveSummary {
  /** First value (epoch 1), as a fraction. */
  first: number;
  /** Mean of the last few values, as a fraction. */
  last: number;
  /** Largest value, as a fraction. */
  best: number;
  /** Epochs observed. */
  length: number;
}

/**
 * A parametric learning-curve family (Domhan et al., IJCAI 2015, table 1): accuracy as a fraction at epoch `x` ≥ 1,
 * with a box on its parameters and a few starting points derived from the observed curve.
 */
export interface CurveFamily {
  /** Name as in Domhan et al.'s code (`pow3`, `log_log_linear`, ...). */
  readonly name: string;
  /** Parameter names, in the order of the parameter vectors. */
  readonly params: readonly string[];
  /** Lower bound of each parameter. */
  readonly lower: readonly number[];
  /** Upper bound of each parameter. */
  readonly upper: readonly number[];
  /** Value at epoch `x`; may be non-finite for parameters outside the family's domain. */
  value(x: number, p: readonly number[]): number;
  /** Writes ∂value/∂p at epoch `x` into `g` and returns the value (one pass shares the subexpressions). */
  gradient(x: number, p: readonly number[], g: Float64Array): number;
  /** Starting parameter vectors for the fit, best guess first. */
  starts(curve: CurveSummary): number[][];
}
