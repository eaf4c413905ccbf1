import { describe, expect, it } from 'vitest';
import { ExportFileCache } from './export-file-cache';

const file = (generation: bigint, bytes: number) => ({ generation, chunks: [Buffer.alloc(bytes)], bytes });

describe('ExportFileCache', () => {
  it('gives a file back at its generation only, and drops it at another', () => {
    const cache = new ExportFileCache(100);
    cache.set('a', file(3n, 10));
    expect(cache.get('a', 3n)?.bytes).toBe(10);
    expect(cache.get('a', 4n)).toBeUndefined();
    expect(cache.get('a', 3n)).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it('holds at most maxBytes, the least recently used out first', () => {
    const cache = new ExportFileCache(100);
    cache.set('a', file(1n, 25));
    cache.set('b', file(1n, 25));
    cache.set('c', file(1n, 25));
    cache.set('d', file(1n, 25));
    expect(cache.get('a', 1n)).toBeDefined(); // now b is the least recently used
    cache.set('e', file(1n, 25));
    expect(cache.get('b', 1n)).toBeUndefined();
    expect(['a', 'c', 'd', 'e'].map((key) => cache.get(key, 1n)?.bytes)).toEqual([25, 25, 25, 25]);
    expect(cache.bytes).toBe(100);
  });

  it('never keeps a file larger than a quarter of the bound, and replaces a key in place', () => {
    const cache = new ExportFileCache(100);
    expect(cache.fits(25)).toBe(true);
    expect(cache.fits(26)).toBe(false);
    cache.set('big', file(1n, 26));
    expect(cache.get('big', 1n)).toBeUndefined();
    cache.set('a', file(1n, 20));
    cache.set('a', file(2n, 5));
    expect(cache.bytes).toBe(5);
    expect(cache.get('a', 2n)?.bytes).toBe(5);
    expect(new ExportFileCache(0).fits(1)).toBe(false);
  });
});
