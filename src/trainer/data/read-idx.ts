import { ErrorCode, NashubError } from '../../core';

/** A decoded IDX file (the MNIST format): unsigned bytes with their dimensions. */
export interface IdxArray {
  /** Sizes of each dimension, outermost first (e.g. [60000, 28, 28]). */
  dims: number[];
  /** The values, row-major. */
  data: Uint8Array;
}

/** The IDX type code of unsigned bytes, the only type the MNIST-format datasets use. */
const UBYTE = 0x08;

/**
 * Decodes an (already gunzipped) IDX file of unsigned bytes: magic 0x00 0x00 0x08 ndims, then ndims big-endian
 * uint32 sizes, then exactly their product of bytes. A wrong magic, rank or length (truncated or padded) is FILE_INVALID.
 */
export function readIdx(bytes: Uint8Array, expectedRank: number, file: string): IdxArray {
  const fail = (reason: string, details: Record<string, unknown> = {}): never => {
    throw new NashubError(ErrorCode.FILE_INVALID, `${file} is not a valid IDX file: ${reason}`, {
      details: { file, ...details },
    });
  };
  if (bytes.length < 4) fail('shorter than its 4-byte magic number', { bytes: bytes.length });
  if (bytes[0] !== 0 || bytes[1] !== 0) fail('the magic number does not start with two zero bytes');
  if (bytes[2] !== UBYTE) fail(`data type 0x${bytes[2].toString(16)} is not unsigned byte (0x08)`, { type: bytes[2] });
  const rank = bytes[3];
  if (rank !== expectedRank) fail(`rank ${rank}, expected ${expectedRank}`, { rank, expectedRank });
  const header = 4 + 4 * rank;
  if (bytes.length < header) fail('truncated in its header', { bytes: bytes.length, header });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== header + size) {
    fail(bytes.length < header + size ? 'truncated' : 'longer than its dimensions say', {
      dims,
      bytes: bytes.length,
      expected: header + size,
    });
  }
  return { dims, data: bytes.subarray(header) };
}
