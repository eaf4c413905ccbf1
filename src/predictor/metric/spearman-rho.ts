/** Average ranks (1-based), ties sharing the mean of their positions, as scipy.stats.rankdata. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => values[i]! - values[j]!);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + end + 1) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    start = end;
  }
  return ranks;
}

/** Spearman's ρ: Pearson correlation of average ranks (scipy.stats.spearmanr); NaN for a constant sample. */
export function spearmanRho(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const n = ra.length;
  const mean = (n + 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (ra[i]! - mean) * (rb[i]! - mean);
    saa += (ra[i]! - mean) ** 2;
    sbb += (rb[i]! - mean) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Number.NaN;
}
