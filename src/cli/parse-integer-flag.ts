import { ErrorCode, NashubError } from '../core';

/** An optional integer flag: undefined stays undefined, anything but an integer is INVALID_ARGUMENT naming the flag. */
export function parseIntegerFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n))
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `${flag} must be an integer, got "${value}"`, {
      details: { option: flag },
    });
  return n;
}

/** A required positive number flag (an integer where `integer`): anything else is INVALID_ARGUMENT naming the flag. */
export function positiveNumber(option: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `${option} must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`,
      { details: { option, value } },
    );
  }
  return n;
}
