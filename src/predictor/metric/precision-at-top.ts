/**
 * Share of the true top `fraction` (by `actual`, highest first) that is also in the predicted top `fraction`;
 * the top holds max(1, round(fraction · n)) items.
 */
export function precisionAtTop(predicted: ArrayLike<number>, actual: ArrayLike<number>, fraction: number): number {
  const n = actual.length;
  const k = Math.max(1, Math.round(fraction * n));
  const top = (values: ArrayLike<number>): Set<number> =>
    new Set(
      Array.from({ length: n }, (_, i) => i)
        .sort((i, j) => values[j]! - values[i]!)
        .slice(0, k),
    );
  const truth = top(actual);
  let hits = 0;
  for (const i of top(predicted)) if (truth.has(i)) hits++;
  return hits / k;
}
