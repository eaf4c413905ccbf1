import { asDiskFull, isNashubError } from '../core';

/** Exit status for a typed error: 2 for bad input or configuration, 1 for the environment (database, port, ...). */
const usageCodes = new Set([
  'INVALID_ARCHITECTURE',
  'UNKNOWN_SPACE',
  'INVALID_ARGUMENT',
  'CONFIG_INVALID',
  'UNKNOWN_DATASET',
  'UNKNOWN_PROTOCOL',
  'MAPPING_INVALID',
  'FILE_INVALID',
  'IMPORT_REJECTED',
  'CONFLICT',
  'RELEASE_INVALID',
  'NOT_FOUND',
  'UNKNOWN_STRATEGY',
  'UNKNOWN_PRESET',
  'DATA_NOT_IMPORTED',
  'DATA_DIR_LOCKED',
]);

/**
 * Prints a failure of a command and sets a non-zero exit code. Typed errors get one line (`nashub: CODE: message`);
 * anything else is a bug and keeps its stack.
 */
export function reportFatal(thrown: unknown): void {
  // A full disk is the user's to fix, whichever layer it surfaced in (a file write, a statement): one typed line.
  const error = asDiskFull(thrown) ?? thrown;
  if (isNashubError(error)) {
    process.stderr.write(`nashub: ${error.code}: ${error.message}\n`);
    const rows = error.details.rows;
    if (Array.isArray(rows))
      for (const row of rows as Array<{ line: number; reason: string }>)
        process.stderr.write(`  line ${row.line}: ${row.reason}\n`);
    process.exitCode = usageCodes.has(error.code) ? 2 : 1;
    return;
  }
  process.stderr.write(
    `nashub: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
