import { readFileSync } from 'node:fs';
import { nb201Space } from '../core';
import { NB201_INCONSISTENT_PARAMS_INDICES } from './nb201-inconsistent-params';

/** Result of {@link checkNb201Params}. */
export interface Nb201ParamsCheck {
  /** Rows checked. */
  cells: number;
  /** Rows whose computed parameter count is off by more than 0.5%. */
  mismatches: number;
  /** True when the mismatching arch_index set is exactly the 150 known inconsistent cells. */
  mismatchIndicesEqualKnown150: boolean;
  /** Largest relative error among the cells outside the known 150. */
  maxRelErrorOutside150: number;
}

const TOLERANCE = 0.005;

/**
 * Compares `nb201Space.cost(arch).paramsM` (default macro: C=16, N=5, 10 classes) with `params_mb_cifar10` for every
 * row of an nb201_summary.csv (columns `arch_index`, `arch_str`, `params_mb_cifar10`; no quoted fields).
 */
export function checkNb201Params(csvPath: string): Nb201ParamsCheck {
  const [header, ...rows] = readFileSync(csvPath, 'utf8').trim().split('\n');
  const columns = header.split(',');
  const column = (name: string): number => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`${csvPath}: no column ${name}`);
    return index;
  };
  const [indexColumn, archColumn, paramsColumn] = ['arch_index', 'arch_str', 'params_mb_cifar10'].map(column);
  const known = new Set(NB201_INCONSISTENT_PARAMS_INDICES);
  const mismatching = new Set<number>();
  let maxRelErrorOutside150 = 0;
  for (const row of rows) {
    const fields = row.split(',');
    const archIndex = Number(fields[indexColumn]);
    const published = Number(fields[paramsColumn]);
    const computed = nb201Space.cost(nb201Space.parse(fields[archColumn])).paramsM;
    const relError = Math.abs(computed - published) / published;
    if (relError > TOLERANCE) mismatching.add(archIndex);
    if (!known.has(archIndex)) maxRelErrorOutside150 = Math.max(maxRelErrorOutside150, relError);
  }
  const sameSet = mismatching.size === known.size && [...known].every((index) => mismatching.has(index));
  return {
    cells: rows.length,
    mismatches: mismatching.size,
    mismatchIndicesEqualKnown150: sameSet,
    maxRelErrorOutside150,
  };
}

if (require.main === module) {
  const path = process.argv[2] ?? '../shared/data/nb201/nb201_summary.csv';
  process.stdout.write(`${JSON.stringify(checkNb201Params(path))}\n`);
}
