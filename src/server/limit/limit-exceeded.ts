import { ErrorCode, NashubError } from '../../core';

/** A LIMIT_EXCEEDED error naming the limit, its maximum and what was asked. */
export function limitExceeded(limit: string, max: number, actual: number): NashubError {
  return new NashubError(ErrorCode.LIMIT_EXCEEDED, `${limit} limit exceeded: ${actual} > ${max}`, {
    details: { limit, max, actual },
  });
}

/** Throws LIMIT_EXCEEDED when `actual` is above `max`. */
export function checkLimit(limit: string, max: number, actual: number): void {
  if (actual > max) throw limitExceeded(limit, max, actual);
}
