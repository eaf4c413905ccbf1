import { ErrorCode, NashubError } from '../../core';

/**
 * Reads one strategy's options from a loose object (CLI `--option key=value`, a preset, JSON): each getter applies
 * the default or checks the value, and `done()` refuses keys nobody read, so a misspelt option is an error instead
 * of a silent default. Every failure is INVALID_ARGUMENT with `details.option`.
 */
export class OptionReader {
  private readonly read = new Set<string>();

  constructor(
    private readonly strategy: string,
    private readonly raw: Readonly<Record<string, unknown>>,
  ) {}

  /** A finite number within [min, max] (an integer when `integer`), or `fallback` when absent. */
  number(key: string, fallback: number, range: { min: number; max: number; integer?: boolean }): number {
    this.read.add(key);
    const value = this.raw[key];
    if (value === undefined) return fallback;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (
      typeof n !== 'number' ||
      !Number.isFinite(n) ||
      n < range.min ||
      n > range.max ||
      (range.integer === true && !Number.isInteger(n))
    ) {
      const kind = range.integer === true ? 'an integer' : 'a number';
      this.fail(key, `must be ${kind} in [${range.min}, ${range.max}], got ${JSON.stringify(value)}`);
    }
    return n;
  }

  /** One of `values`, or `fallback` when absent. */
  oneOf<T extends string>(key: string, values: readonly T[], fallback: T): T {
    this.read.add(key);
    const value = this.raw[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !values.includes(value as T))
      this.fail(key, `must be one of ${values.join(', ')}, got ${JSON.stringify(value)}`);
    return value as T;
  }

  /** Throws for any key no getter asked for. */
  done(): void {
    const unknown = Object.keys(this.raw).filter((key) => !this.read.has(key));
    if (unknown.length > 0) {
      const known = [...this.read].join(', ') || '(none)';
      this.fail(unknown[0], `is not an option of ${this.strategy} (options: ${known})`);
    }
  }

  /** Throws INVALID_ARGUMENT for `key` (for checks across options). */
  fail(key: string, message: string): never {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `${this.strategy} option ${key} ${message}`, {
      details: { strategy: this.strategy, option: key },
    });
  }
}
