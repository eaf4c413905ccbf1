import { ErrorCode, NashubError, parseWithSchema } from '../../core';
import { releaseManifestSchema, type ReleaseManifest } from './release-manifest';

/** Checks manifest.json's text and returns the manifest, or throws RELEASE_INVALID naming the field at fault. */
export function parseManifest(text: string, path: string): ReleaseManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new NashubError(ErrorCode.RELEASE_INVALID, `${path} is not valid JSON: ${(error as Error).message}`, { details: { file: path }, cause: error });
  }
  return parseWithSchema(releaseManifestSchema, raw, { code: ErrorCode.RELEASE_INVALID, what: `release manifest ${path}`, details: { file: path } });
}
