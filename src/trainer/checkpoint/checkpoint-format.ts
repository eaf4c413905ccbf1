import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ErrorCode, NashubError, parseWithSchema } from '../../core';

/** The first bytes of every checkpoint. */
const MAGIC = Buffer.from('NASHUBCK', 'ascii');
/** Version of the layout below; a reader refuses others. */
const FORMAT_VERSION = 1;
const DIGEST_BYTES = 32;

const count = z.number().int().min(0);
/** The header's JSON: the caller's metadata (checked by the caller) and where each tensor's floats are. */
const headerSchema = z.object({
  meta: z.unknown(),
  tensors: z.array(z.object({ name: z.string(), shape: z.array(count), offset: count, length: count })),
});

/** One float32 tensor of a checkpoint. */
export interface CheckpointTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** What a checkpoint holds: JSON-able metadata and named float32 tensors. */
export interface CheckpointContents<Meta> {
  meta: Meta;
  tensors: CheckpointTensor[];
}

/**
 * Encodes a checkpoint as one self-describing blob:
 *   "NASHUBCK" · u32 version · u32 header length · header JSON (meta, tensor names/shapes/offsets) · float32 data
 *   (little-endian) · SHA-256 of everything before it.
 * The digest makes truncation and bit rot detectable before anything is loaded.
 */
export function encodeCheckpoint<Meta>(contents: CheckpointContents<Meta>): Uint8Array {
  let offset = 0;
  const entries = contents.tensors.map((t) => {
    const entry = { name: t.name, shape: t.shape, offset, length: t.values.length };
    offset += t.values.length;
    return entry;
  });
  const header = Buffer.from(JSON.stringify({ meta: contents.meta, tensors: entries }), 'utf8');
  const prefix = Buffer.alloc(16);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(FORMAT_VERSION, 8);
  prefix.writeUInt32LE(header.length, 12);
  const data = Buffer.alloc(offset * 4);
  let position = 0;
  for (const t of contents.tensors) {
    for (const value of t.values) position = data.writeFloatLE(value, position);
  }
  const body = Buffer.concat([prefix, header, data]);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

/** Decodes {@link encodeCheckpoint}'s blob; anything truncated, corrupt or of another version is CHECKPOINT_INVALID. */
export function decodeCheckpoint<Meta>(blob: Uint8Array): CheckpointContents<Meta> {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const fail = (reason: string, details: Record<string, unknown> = {}): never => {
    throw new NashubError(ErrorCode.CHECKPOINT_INVALID, `checkpoint is unusable: ${reason}`, {
      details: { bytes: bytes.length, ...details },
    });
  };
  if (bytes.length < 16 + DIGEST_BYTES || !bytes.subarray(0, 8).equals(MAGIC)) fail('not a nashub checkpoint');
  const body = bytes.subarray(0, bytes.length - DIGEST_BYTES);
  if (
    !createHash('sha256')
      .update(body)
      .digest()
      .equals(bytes.subarray(bytes.length - DIGEST_BYTES))
  )
    fail('its SHA-256 does not match (truncated or corrupt)');
  const version = bytes.readUInt32LE(8);
  if (version !== FORMAT_VERSION) fail(`format version ${version}, this nashub reads ${FORMAT_VERSION}`, { version });
  const headerLength = bytes.readUInt32LE(12);
  if (16 + headerLength > body.length) fail('its header runs past the end');
  let json: unknown;
  try {
    json = JSON.parse(body.subarray(16, 16 + headerLength).toString('utf8'));
  } catch (error) {
    return fail('its header is not JSON', { cause: String(error) });
  }
  const header = parseWithSchema(headerSchema, json, {
    code: ErrorCode.CHECKPOINT_INVALID,
    what: 'checkpoint header',
    details: { bytes: bytes.length },
  });
  const dataStart = 16 + headerLength;
  const floats = (body.length - dataStart) / 4;
  const tensors = header.tensors.map((entry) => {
    if (entry.offset + entry.length > floats || entry.shape.reduce((a, b) => a * b, 1) !== entry.length)
      fail(`tensor ${entry.name} does not fit`, { tensor: entry.name });
    const values = new Float32Array(entry.length);
    for (let i = 0; i < entry.length; i++) values[i] = body.readFloatLE(dataStart + 4 * (entry.offset + i));
    return { name: entry.name, shape: entry.shape, values };
  });
  return { meta: header.meta as Meta, tensors };
}
