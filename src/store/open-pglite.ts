import { mkdirSync, accessSync, constants } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { ErrorCode, NashubError } from '../core';

/** Creates `dataDir` when needed and returns it, or throws DATA_DIR_UNWRITABLE when it is unusable. */
export function ensureDataDir(dataDir: string): string {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK | constants.R_OK);
    return dataDir;
  } catch (error) {
    throw new NashubError(
      ErrorCode.DATA_DIR_UNWRITABLE,
      `NASHUB_DATA folder ${dataDir} is not writable: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { details: { dataDir }, cause: error },
    );
  }
}

/**
 * Opens (creating when needed) a PGlite database in `dataDir`, with a clear error when the folder is unusable. It does
 * not lock the folder: {@link openStore} does, and every other caller must hold that lock (or have closed every store).
 */
export async function openPGlite(dataDir: string): Promise<PGlite> {
  if (!dataDir.startsWith('memory://')) ensureDataDir(dataDir);
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
