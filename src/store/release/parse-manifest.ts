import { ErrorCode, NashubError } from '../../core';
import { RELEASE_DATA_FILES, RELEASE_FORMAT } from './release-files';
import type { ReleaseManifest } from './release-manifest';

const SHA256 = /^[0-9a-f]{64}$/;

/** Checks manifest.json's text and returns the manifest, or throws RELEASE_INVALID naming the field at fault. */
export function parseManifest(text: string, path: string): ReleaseManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new NashubError(ErrorCode.RELEASE_INVALID, `${path} is not valid JSON: ${(error as Error).message}`, { details: { file: path }, cause: error });
  }
  const fail = (field: string, problem: string) =>
    new NashubError(ErrorCode.RELEASE_INVALID, `${path}: ${field} ${problem}`, { details: { file: path, field } });
  if (!isObject(raw)) throw fail('(root)', 'must be a JSON object');
  if (raw.format !== RELEASE_FORMAT) throw fail('format', `must be "${RELEASE_FORMAT}", got ${JSON.stringify(raw.format ?? null)}`);
  for (const key of ['name', 'version', 'nashubVersion', 'createdAt', 'contentSha256'] as const) {
    if (typeof raw[key] !== 'string' || !raw[key]) throw fail(key, 'must be a non-empty string');
  }
  if (!SHA256.test(raw.contentSha256 as string)) throw fail('contentSha256', 'must be a hex sha256');
  if (!Array.isArray(raw.protocols)) throw fail('protocols', 'must be a list');
  raw.protocols.forEach((protocol: unknown, i) => {
    const ok = isObject(protocol) && typeof protocol.name === 'string' && Number.isInteger(protocol.epochs) && (protocol.epochs as number) > 0;
    if (!ok || !isObject(protocol.hyperparameters ?? {}) || typeof (protocol.description ?? '') !== 'string') {
      throw fail(`protocols[${i}]`, 'must be { name, epochs > 0, hyperparameters?, description? }');
    }
  });
  if (!isObject(raw.files)) throw fail('files', 'must map file names to { rows, bytes, sha256 }');
  for (const { name } of RELEASE_DATA_FILES) {
    const entry = raw.files[name];
    if (!isObject(entry)) throw fail(`files.${name}`, 'is missing');
    if (!Number.isInteger(entry.rows) || (entry.rows as number) < 0) throw fail(`files.${name}.rows`, 'must be a count');
    if (!Number.isInteger(entry.bytes) || (entry.bytes as number) < 0) throw fail(`files.${name}.bytes`, 'must be a size in bytes');
    if (typeof entry.sha256 !== 'string' || !SHA256.test(entry.sha256)) throw fail(`files.${name}.sha256`, 'must be a hex sha256');
  }
  return raw as unknown as ReleaseManifest;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
