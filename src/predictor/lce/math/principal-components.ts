/** Options of {@link principalComponents}. */
export interface PrincipalComponentsOptions {
  /** Rows (observations) of equal length. */
  rows: readonly (readonly number[])[];
  /** Components to extract, leading first. */
  count: number;
}

/** The leading principal components of a set of rows. */
export interface PrincipalComponents {
  /** Column means. */
  mean: number[];
  /** Unit-length component directions, leading first. */
  components: number[][];
  /** Standard deviation of the rows' coefficients along each component (ddof 0). */
  spreads: number[];
}

const ITERATIONS = 200;

/**
 * Leading principal components by power iteration with deflation on the implicit covariance (Xᵀ(Xv), never the d×d
 * matrix), so a few components of a few hundred curves of any length cost O(iterations · n · d). Deterministic: the
 * start vector is fixed, so the same rows give the same components.
 */
export function principalComponents(options: PrincipalComponentsOptions): PrincipalComponents {
  const { rows } = options;
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  for (const row of rows) for (let j = 0; j < d; j++) mean[j] = mean[j]! + row[j]! / n;
  const centred = rows.map((row) => row.map((v, j) => v - mean[j]!));
  const components: number[][] = [];
  const spreads: number[] = [];
  for (let k = 0; k < Math.min(options.count, d); k++) {
    let v = Array.from({ length: d }, (_, j) => 1 + ((j * 7919 + k * 104729) % 97) / 97);
    let norm = 0;
    for (let it = 0; it < ITERATIONS; it++) {
      const scores = centred.map((row) => dot(row, v));
      const next = new Array<number>(d).fill(0);
      centred.forEach((row, i) => {
        for (let j = 0; j < d; j++) next[j] = next[j]! + scores[i]! * row[j]!;
      });
      for (const c of components) {
        const projection = dot(next, c);
        for (let j = 0; j < d; j++) next[j] = next[j]! - projection * c[j]!;
      }
      norm = Math.sqrt(dot(next, next));
      if (!(norm > 1e-12)) break;
      v = next.map((x) => x / norm);
    }
    if (!(norm > 1e-12)) break;
    components.push(v);
    const scores = centred.map((row) => dot(row, v));
    spreads.push(Math.sqrt(scores.reduce((a, s) => a + s * s, 0) / n));
  }
  return { mean, components, spreads };
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
}
