import { ErrorCode, NashubError } from '../../core';
import type { ArchitectureBatch } from './predictor';

/** Throws INVALID_ARGUMENT when a batch belongs to another space than the predictor's. */
export function checkBatchSpace(batch: ArchitectureBatch, space: string): void {
  if (batch.space !== space) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `predictor was fitted on space "${space}", got architectures of "${batch.space}"`,
      {
        details: { expected: space, got: batch.space },
      },
    );
  }
}
