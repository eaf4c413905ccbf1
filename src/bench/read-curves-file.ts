import { readFileSync } from 'node:fs';
import { ErrorCode, NashubError } from '../core';

/** Options of {@link readCurvesFile}. */
export interface ReadCurvesFileOptions {
  /** Path of a JSON-lines file with one run per line. */
  path: string;
  /** Key of the per-epoch array to read (e.g. `valid_acc`). */
  key: string;
}

/** One line of a curves file. */
export interface CurveRecord {
  /** The per-epoch values. */
  curve: number[];
  /** The line's `arch_str`, when it has one. */
  arch: string | null;
  /** The line's `train_acc`, when it has one of the curve's length: the training accuracy of the same epochs. */
  train: number[] | null;
}

/** The curves of a JSON-lines file: each line's `key` array of numbers, `arch_str` and `train_acc`; FILE_INVALID names the first bad line. */
export function readCurvesFile(options: ReadCurvesFileOptions): CurveRecord[] {
  let text: string;
  try {
    text = readFileSync(options.path, 'utf8');
  } catch (cause) {
    throw new NashubError(ErrorCode.FILE_INVALID, `cannot read ${options.path}`, {
      details: { path: options.path },
      cause,
    });
  }
  const curves: CurveRecord[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (cause) {
      throw new NashubError(ErrorCode.FILE_INVALID, `${options.path}:${i + 1} is not JSON`, {
        details: { path: options.path, line: i + 1 },
        cause,
      });
    }
    const curve = (row as Record<string, unknown> | null)?.[options.key];
    if (
      !Array.isArray(curve) ||
      curve.length === 0 ||
      !curve.every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      throw new NashubError(
        ErrorCode.FILE_INVALID,
        `${options.path}:${i + 1} has no array of numbers "${options.key}"`,
        { details: { path: options.path, line: i + 1, key: options.key } },
      );
    }
    const arch = (row as Record<string, unknown>).arch_str;
    const train = (row as Record<string, unknown>).train_acc;
    const trainCurve =
      Array.isArray(train) &&
      train.length === curve.length &&
      train.every((v) => typeof v === 'number' && Number.isFinite(v))
        ? (train as number[])
        : null;
    curves.push({ curve: curve as number[], arch: typeof arch === 'string' ? arch : null, train: trainCurve });
  });
  if (curves.length === 0)
    throw new NashubError(ErrorCode.FILE_INVALID, `${options.path} has no curves`, { details: { path: options.path } });
  return curves;
}
