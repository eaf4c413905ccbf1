import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../../store/release';

/** True when the release folder `dir/<name>/<version>/` holds its manifest, i.e. this server can serve the release. */
export async function releaseInPlace(dir: string | undefined, name: string, version: string): Promise<boolean> {
  if (dir === undefined) return false;
  return stat(join(dir, name, version, MANIFEST_FILE)).then(
    () => true,
    () => false,
  );
}
