import { describe, expect, it } from 'vitest';
import { parseManifest } from './parse-manifest';
import { RELEASE_DATA_FILES, RELEASE_FORMAT } from './release-files';
import { contentSha256, formatManifest, type ReleaseManifest } from './release-manifest';
import { releaseOriginId, type ReleaseOriginDescription } from './release-origin';

const sha = (c: string) => c.repeat(64);
const files = Object.fromEntries(
  RELEASE_DATA_FILES.map((f, i) => [f.name, { rows: i, bytes: 100 + i, sha256: sha(String(i)) }]),
);
const manifest: ReleaseManifest = {
  format: RELEASE_FORMAT,
  name: 'n',
  version: '1',
  nashubVersion: '0.1.0',
  schemaVersion: 'InitialSchema1764288000000',
  createdAt: '2025-01-01T00:00:00.000Z',
  filters: { space: null, dataset: 'cifar100', protocol: null },
  protocols: [
    { name: 'hp=200', epochs: 200, hyperparameters: { weightDecay: 0.0005, batchSize: 256 }, description: '' },
  ],
  files,
  contentSha256: contentSha256(files),
  provenance: { origins: [], values: { seedMean: 0, singleSeed: 0, imputed: 0 } },
};
const trained: ReleaseOriginDescription = {
  source: 'TRAINED',
  import: null,
  protocol: 'hp=200',
  hardware: 'wasm/cpu',
  nashubVersion: '0.1.0',
};
const withOrigin = (origin: Record<string, unknown>) => ({
  ...manifest,
  provenance: { origins: [origin], values: { seedMean: 0, singleSeed: 3, imputed: 0 } },
});

describe('release manifest', () => {
  it('formats with sorted keys, so a copy read back from jsonb gives the same bytes', () => {
    const reverseKeys = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reverseKeys)
        : value && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reverseKeys(v)]),
            )
          : value;
    const reordered = reverseKeys(manifest) as ReleaseManifest;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(manifest));
    expect(formatManifest(reordered)).toBe(formatManifest(manifest));
    expect(formatManifest(manifest).indexOf('"contentSha256"')).toBeLessThan(
      formatManifest(manifest).indexOf('"version"'),
    );
    expect(parseManifest(formatManifest(manifest), 'manifest.json')).toEqual(manifest);
  });

  it('hashes content from the data files only, whatever the key order', () => {
    const reversed = Object.fromEntries(Object.entries(files).reverse());
    expect(contentSha256(reversed)).toBe(manifest.contentSha256);
    expect(contentSha256({ ...files, 'records.csv': { ...files['records.csv'], sha256: sha('f') } })).not.toBe(
      manifest.contentSha256,
    );
  });

  it('refuses damaged manifests with RELEASE_INVALID naming the field', () => {
    const field = (text: string) => {
      try {
        parseManifest(text, 'manifest.json');
      } catch (error) {
        expect((error as { code: string }).code).toBe('RELEASE_INVALID');
        return (error as { details: { field?: string } }).details.field ?? '(json)';
      }
      return 'ok';
    };
    const without = (key: string) => JSON.stringify({ ...manifest, [key]: undefined });
    expect(field('{"format":')).toBe('(json)');
    expect(field(JSON.stringify({ ...manifest, format: 'nashub-release/9' }))).toBe('format');
    expect(field(without('name'))).toBe('name');
    expect(field(JSON.stringify({ ...manifest, files: { ...files, 'curves.csv': undefined } }))).toBe(
      'files.curves.csv',
    );
    expect(
      field(
        JSON.stringify({
          ...manifest,
          files: { ...files, 'records.parquet': { ...files['records.parquet'], sha256: 'abc' } },
        }),
      ),
    ).toBe('files.records.parquet.sha256');
    expect(field(JSON.stringify({ ...manifest, protocols: [{ name: 'x', epochs: 0 }] }))).toBe('protocols[0].epochs');
  });

  it.each([
    ['a list', [manifest], ''],
    ['no format', { ...manifest, format: undefined }, 'format'],
    ['an empty version', { ...manifest, version: '' }, 'version'],
    ['a numeric nashubVersion', { ...manifest, nashubVersion: 1 }, 'nashubVersion'],
    ['no schemaVersion', { ...manifest, schemaVersion: undefined }, 'schemaVersion'],
    ['a filter that is a number', { ...manifest, filters: { ...manifest.filters, dataset: 3 } }, 'filters.dataset'],
    ['protocols that are an object', { ...manifest, protocols: {} }, 'protocols'],
    ['a protocol without a name', { ...manifest, protocols: [{ epochs: 2 }] }, 'protocols[0].name'],
    [
      'hyper-parameters that are a list',
      { ...manifest, protocols: [{ name: 'x', epochs: 2, hyperparameters: [] }] },
      'protocols[0].hyperparameters',
    ],
    [
      'a numeric description',
      { ...manifest, protocols: [{ name: 'x', epochs: 2, description: 3 }] },
      'protocols[0].description',
    ],
    ['files that are a list', { ...manifest, files: [] }, 'files'],
    [
      'a negative row count',
      { ...manifest, files: { ...files, 'curves.csv': { ...files['curves.csv'], rows: -1 } } },
      'files.curves.csv.rows',
    ],
    [
      'fractional bytes',
      { ...manifest, files: { ...files, 'records.csv': { ...files['records.csv'], bytes: 1.5 } } },
      'files.records.csv.bytes',
    ],
    ['a content hash in capitals', { ...manifest, contentSha256: sha('A') }, 'contentSha256'],
  ])('refuses a manifest with %s (RELEASE_INVALID, details.field, the file)', (_, raw, field) => {
    let caught: unknown;
    try {
      parseManifest(JSON.stringify(raw), 'dir/manifest.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'RELEASE_INVALID', details: { field, file: 'dir/manifest.json' } });
  });

  it('gives an origin an id from its description alone, and refuses an origin whose id is not its hash', () => {
    const id = releaseOriginId(trained);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(releaseOriginId({ ...trained })).toBe(id);
    expect(releaseOriginId({ ...trained, nashubVersion: '0.2.0' })).not.toBe(id);
    const origin = { id, ...trained, runs: 3, seedMeans: 0, singleSeeds: 3 };
    expect(parseManifest(JSON.stringify(withOrigin(origin)), 'manifest.json').provenance).toEqual(
      withOrigin(origin).provenance,
    );
    const fieldOf = (raw: unknown) => {
      try {
        parseManifest(JSON.stringify(raw), 'manifest.json');
      } catch (error) {
        expect((error as { code: string }).code).toBe('RELEASE_INVALID');
        return (error as { details: { field?: string } }).details.field;
      }
      return 'ok';
    };
    expect(fieldOf(withOrigin({ ...origin, hardware: 'cuda/gpu' }))).toBe('provenance.origins[0].id');
    expect(fieldOf(withOrigin({ ...origin, source: 'GUESSED' }))).toBe('provenance.origins[0].source');
    expect(fieldOf({ ...manifest, provenance: undefined })).toBe('provenance');
  });

  it('reads format 1 manifests, whose provenance had no ids, as written', () => {
    const old = { ...manifest, format: 'nashub-release/1', provenance: { origins: [{ source: 'IMPORTED' }] } };
    expect(parseManifest(JSON.stringify(old), 'manifest.json')).toEqual(old);
    expect(parseManifest(JSON.stringify({ ...old, provenance: undefined }), 'manifest.json').format).toBe(
      'nashub-release/1',
    );
  });

  it('keeps keys it does not know, so the stored manifest is the file', () => {
    expect(parseManifest(JSON.stringify({ ...manifest, note: 'x' }), 'manifest.json')).toEqual({
      ...manifest,
      note: 'x',
    });
  });
});
