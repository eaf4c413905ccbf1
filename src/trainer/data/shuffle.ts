import type { Rng } from '../../core';

/** Fisher–Yates shuffle in place; returns the same array. */
export function shuffle<T extends { length: number; [index: number]: number }>(values: T, rng: Rng): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const value = values[i];
    values[i] = values[j];
    values[j] = value;
  }
  return values;
}
