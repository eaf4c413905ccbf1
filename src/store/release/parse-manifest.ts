import { ErrorCode, NashubError, checkJsonText, checkName, parseWithSchema } from '../../core';
import { releaseManifestSchema, type ReleaseManifest } from './release-manifest';

/** Checks manifest.json's text and returns the manifest, or throws RELEASE_INVALID naming the field at fault. */
export function parseManifest(text: string, path: string): ReleaseManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new NashubError(ErrorCode.RELEASE_INVALID, `${path} is not valid JSON: ${(error as Error).message}`, {
      details: { file: path },
      cause: error,
    });
  }
  const manifest = parseWithSchema(releaseManifestSchema, raw, {
    code: ErrorCode.RELEASE_INVALID,
    what: `release manifest ${path}`,
    details: { file: path },
  });
  // Its protocols become rows through the import: the one name rule, and no NUL or lone surrogate in what is stored.
  manifest.protocols.forEach((protocol, i) => {
    checkName(protocol.name, { field: `protocols[${i}].name`, code: ErrorCode.RELEASE_INVALID });
    checkJsonText(protocol, { field: `protocols[${i}]`, code: ErrorCode.RELEASE_INVALID });
  });
  return manifest;
}
