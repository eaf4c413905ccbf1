import { applyBinnedCurve } from './binned-curve';

/**
 * A non-decreasing map fitted by isotonic regression, kept as knots so it saves as plain JSON numbers. `apply`
 * interpolates linearly between knots, holds the end values outside them, and adds `tilt · x`, a slope far below the
 * data's resolution, so that the map is strictly increasing: scores keep their order (and Kendall τ) exactly.
 */
export interface MonotoneMap {
  /** Increasing inputs: the mean score of each pool of adjacent violators. */
  knots: number[];
  /** Strictly increasing outputs at the knots. */
  values: number[];
  /** Tie-breaking slope added everywhere. */
  tilt: number;
}

/** Isotonic (pool-adjacent-violators) regression of `y` on `x`; equal x are pooled first. */
export function fitMonotoneMap(x: ArrayLike<number>, y: ArrayLike<number>): MonotoneMap {
  const order = Array.from({ length: x.length }, (_, i) => i).sort((i, j) => x[i]! - x[j]!);
  const blocks: { x: number; y: number; w: number }[] = [];
  for (const i of order) {
    let block = { x: x[i]!, y: y[i]!, w: 1 };
    for (;;) {
      const last = blocks[blocks.length - 1];
      if (!last || (last.y < block.y && last.x < block.x)) break;
      blocks.pop();
      const w = last.w + block.w;
      block = { x: (last.x * last.w + block.x * block.w) / w, y: (last.y * last.w + block.y * block.w) / w, w };
    }
    blocks.push(block);
  }
  const xs = Array.from(x);
  const ys = Array.from(y);
  const xRange = Math.max(...xs) - Math.min(...xs);
  const yRange = Math.max(...ys) - Math.min(...ys);
  return {
    knots: blocks.map((b) => b.x),
    values: blocks.map((b) => b.y),
    tilt: xRange > 0 ? (1e-6 * (yRange || 1)) / xRange : 0,
  };
}

/** The map's value at `x`. */
export function applyMonotoneMap(map: MonotoneMap, x: number): number {
  // The knots interpolate exactly as a binned curve does; the tilt keeps the map strictly increasing.
  return applyBinnedCurve(map, x) + map.tilt * x;
}
