import { ErrorCode, NashubError } from '../../core';
import type { ArchitectureBatch } from './predictor';

/** Labelled records left after dropping non-finite targets. */
export interface LabelledRecords {
  /** Architectures with a finite target. */
  archs: unknown[];
  /** Their targets. */
  targets: number[];
  /** Records dropped for a NaN, infinite or missing target. */
  skipped: number;
}

/** Drops non-finite targets and throws INVALID_ARGUMENT when fewer than `minRecords` remain. */
export function labelledRecords(
  batch: ArchitectureBatch,
  targets: readonly number[],
  minRecords: number,
): LabelledRecords {
  if (targets.length !== batch.archs.length) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `${batch.archs.length} architectures but ${targets.length} targets`,
      {
        details: { archs: batch.archs.length, targets: targets.length },
      },
    );
  }
  const archs: unknown[] = [];
  const kept: number[] = [];
  for (let i = 0; i < targets.length; i++) {
    const y = targets[i];
    if (typeof y === 'number' && Number.isFinite(y)) {
      archs.push(batch.archs[i]);
      kept.push(y);
    }
  }
  if (kept.length < minRecords) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `fitting needs at least ${minRecords} records with a finite target, got ${kept.length}`,
      {
        details: { minRecords, records: kept.length, skipped: targets.length - kept.length },
      },
    );
  }
  return { archs, targets: kept, skipped: targets.length - kept.length };
}
