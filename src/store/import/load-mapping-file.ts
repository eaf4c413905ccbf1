import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, NashubError } from '../../core';

/** Folder of the mapping presets shipped with nashub (`presets/<space>/<name>.map.json`). */
export const PRESETS_DIR = join(__dirname, '..', '..', '..', 'presets');

/** Reads a mapping from a path, or from a preset name such as `nb201/runs`; throws MAPPING_INVALID. */
export function loadMappingFile(pathOrPreset: string): unknown {
  const preset = join(PRESETS_DIR, `${pathOrPreset}.map.json`);
  const path = existsSync(pathOrPreset) ? pathOrPreset : existsSync(preset) ? preset : undefined;
  if (!path) {
    throw new NashubError(ErrorCode.MAPPING_INVALID, `no mapping file or preset "${pathOrPreset}"`, {
      details: { field: '--map' },
    });
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new NashubError(ErrorCode.MAPPING_INVALID, `mapping ${path} is not valid JSON: ${(error as Error).message}`, {
      details: { field: '--map' },
      cause: error,
    });
  }
}
