import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../random/rng';
import type { Nb101Arch } from './cell';
import { nb101Hash } from './canonical';
import { pruneNb101 } from './prune';
import { sampleNb101 } from './sample';
import { validateNb101 } from './validate';
import { C1, C3, INCEPTION, MP } from '../../../../test/support/nb101-cells';

/** The cell with vertex v moved to position order.indexOf(v). */
function permute(arch: Nb101Arch, order: number[]): Nb101Arch {
  return {
    matrix: order.map((u) => order.map((v) => arch.matrix[u][v])),
    ops: order.map((v) => arch.ops[v]),
  };
}

function isUpperTriangular(matrix: readonly (readonly number[])[]): boolean {
  return matrix.every((row, i) => row.every((bit, j) => bit === 0 || j > i));
}

function shuffled(length: number, rng: Rng): number[] {
  const order = Array.from({ length }, (_, i) => i);
  for (let i = length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

describe('nb101Hash', () => {
  it('matches NAS-Bench-101 for the README Inception-like cell', () => {
    expect(nb101Hash(INCEPTION)).toBe('28cfc7874f6d200472e1a9dcd8650aa0');
  });

  it('matches NAS-Bench-101 for input → conv3x3 → output', () => {
    const arch = {
      matrix: [
        [0, 1, 0],
        [0, 0, 1],
        [0, 0, 0],
      ],
      ops: ['input', C3, 'output'],
    } as Nb101Arch;
    expect(nb101Hash(arch)).toBe('b49ac8c578b4561d79ac7087988f1c61');
  });

  it('hashes a cell the benchmark stores in another vertex order to the same id', () => {
    // The Inception-like cell as NAS-Bench-101's own table lists it (its colab prints this order).
    const stored: Nb101Arch = {
      matrix: [
        [0, 1, 1, 1, 1, 0, 0],
        [0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0],
      ],
      ops: ['input', C3, C1, MP, C3, C3, 'output'],
    };
    expect(nb101Hash(stored)).toBe('28cfc7874f6d200472e1a9dcd8650aa0');
  });

  it('gives every vertex permutation of a cell the same hash, and validate accepts the topological ones', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 40; trial++) {
      const arch = trial === 0 ? INCEPTION : sampleNb101(rng);
      const id = nb101Hash(arch);
      for (let k = 0; k < 10; k++) {
        const permuted = permute(arch, shuffled(arch.ops.length, rng));
        expect(nb101Hash(permuted)).toBe(id);
        const interior = shuffled(arch.ops.length - 2, rng).map((v) => v + 1);
        const reordered = permute(arch, [0, ...interior, arch.ops.length - 1]);
        if (isUpperTriangular(reordered.matrix)) expect(nb101Hash(validateNb101(reordered))).toBe(id);
      }
    }
  });

  it('separates cells that differ in one op or one edge', () => {
    const relabelled = { ...INCEPTION, ops: INCEPTION.ops.map((op, v) => (v === 5 ? C3 : op)) };
    const rewired = {
      ...INCEPTION,
      matrix: INCEPTION.matrix.map((row, i) => row.map((bit, j) => (i === 1 && j === 4 ? 1 : bit))),
    };
    const ids = new Set([nb101Hash(INCEPTION), nb101Hash(relabelled), nb101Hash(rewired)]);
    expect(ids.size).toBe(3);
  });
});

describe('pruneNb101', () => {
  it('returns null when no path joins input and output', () => {
    expect(
      pruneNb101({
        matrix: [
          [0, 1, 0],
          [0, 0, 0],
          [0, 0, 0],
        ],
        ops: ['input', C3, 'output'],
      }),
    ).toBeNull();
  });

  it('keeps a connected cell as it is', () => {
    expect(pruneNb101(INCEPTION)).toEqual(INCEPTION);
  });
});
