import { logit } from './math/logit';

/** Values averaged for the robust level feature: the mean of the best few observed values. */
const TOP_COUNT = 5;

/**
 * Features of a partial curve (fractions) for the learned extrapolators, all on the logit scale, where accuracies near
 * 1 and near chance spread evenly: the means of `points` equal windows ending at fractions 1/points, 2/points, ..., 1 of
 * the observed part (window means rather than single points, because validation curves are noisy), the best value,
 * and last the mean of the best five values, which is also the base the models predict an offset from.
 */
export function curveFeatures(fractions: readonly number[], points: number): Float64Array {
  const n = fractions.length;
  const features = new Float64Array(points + 2);
  const width = Math.max(1, Math.round(n / points));
  for (let k = 1; k <= points; k++) {
    const end = Math.max(1, Math.round((k / points) * n));
    const start = Math.max(0, end - width);
    let sum = 0;
    for (let i = start; i < end; i++) sum += fractions[i]!;
    features[k - 1] = logit(sum / (end - start));
  }
  const top: number[] = [];
  let best = -Infinity;
  for (const v of fractions) {
    best = Math.max(best, v);
    if (top.length < TOP_COUNT) {
      top.push(v);
      top.sort((a, b) => a - b);
    } else if (v > top[0]!) {
      top[0] = v;
      top.sort((a, b) => a - b);
    }
  }
  features[points] = logit(best);
  features[points + 1] = logit(top.reduce((a, b) => a + b, 0) / top.length);
  return features;
}
