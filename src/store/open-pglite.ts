import { mkdirSync, accessSync, constants } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { ErrorCode, NashubError } from '../core';

/** Opens (creating when needed) a PGlite database in `dataDir`, with a clear error when the folder is unusable. */
export async function openPGlite(dataDir: string): Promise<PGlite> {
  if (!dataDir.startsWith('memory://')) {
    try {
      mkdirSync(dataDir, { recursive: true });
      accessSync(dataDir, constants.W_OK | constants.R_OK);
    } catch (error) {
      throw new NashubError(
        ErrorCode.DATA_DIR_UNWRITABLE,
        `NASHUB_DATA folder ${dataDir} is not writable: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        { details: { dataDir }, cause: error },
      );
    }
  }
  try {
    return await PGlite.create(dataDir);
  } catch (error) {
    throw new NashubError(
      ErrorCode.DATABASE_UNAVAILABLE,
      `cannot open the embedded database in ${dataDir}: ${error instanceof Error ? error.message : String(error)}`,
      { details: { dataDir }, cause: error },
    );
  }
}
