/**
 * Acklam's rational approximation of the standard normal quantile Φ⁻¹(p), 0 < p < 1 (relative error < 1.2e-9),
 * enough for warping ranks.
 */
function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * Quantile-normal warp of targets (the copula transform Syne Tune's and HEBO's GPs use): each value becomes
 * Φ⁻¹((rank + ½) / n), equal values sharing their mean rank. NB201's accuracies have a long tail of broken cells near
 * 10 %, which squared error on raw values lets dominate; on the warped scale a GP spends its fit on the order.
 */
export function rankWarp(values: readonly number[]): number[] {
  const n = values.length;
  const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]! || i - j);
  const warped = new Array<number>(n);
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    const z = normalQuantile(((start + end - 1) / 2 + 0.5) / n);
    for (let k = start; k < end; k++) warped[order[k]!] = z;
    start = end;
  }
  return warped;
}
