/** A finished export file, as sent, and the store generation it was tagged with. */
export interface CachedExportFile {
  generation: bigint;
  chunks: readonly Buffer[];
  bytes: number;
}

/**
 * Encoded `/export` files kept in memory, keyed by request (space, dataset, protocol, metrics, format, seeds) and
 * valid for one store generation: a repeat export of an unchanged store is sent from memory, as a CDN in front of the
 * API would send it, instead of being read and encoded again. Bounded by bytes, least recently used out first; a file
 * larger than a quarter of the bound is never kept.
 */
export class ExportFileCache {
  private readonly files = new Map<string, CachedExportFile>();
  private heldBytes = 0;

  /** `maxBytes`: the most bytes of files held at once (0 keeps none). */
  constructor(readonly maxBytes: number) {}

  /** Whether a file of this many bytes may be kept: what a caller may stop collecting at. */
  fits(bytes: number): boolean {
    return bytes <= this.maxBytes / 4;
  }

  /** The file of `key` at `generation`, or undefined (a file of another generation is dropped). */
  get(key: string, generation: bigint): CachedExportFile | undefined {
    const file = this.files.get(key);
    if (file === undefined) return undefined;
    this.delete(key);
    if (file.generation !== generation) return undefined;
    this.files.set(key, file); // most recently used last
    this.heldBytes += file.bytes;
    return file;
  }

  /** Keeps a finished file, replacing the key's older one, and evicts the least recently used beyond the bound. */
  set(key: string, file: CachedExportFile): void {
    if (!this.fits(file.bytes)) return;
    this.delete(key);
    this.files.set(key, file);
    this.heldBytes += file.bytes;
    for (const [oldest, held] of this.files) {
      if (this.heldBytes <= this.maxBytes) break;
      this.files.delete(oldest);
      this.heldBytes -= held.bytes;
    }
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.heldBytes;
  }

  private delete(key: string): void {
    const file = this.files.get(key);
    if (file === undefined) return;
    this.files.delete(key);
    this.heldBytes -= file.bytes;
  }
}
