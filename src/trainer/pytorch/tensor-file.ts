import { readFileSync, writeFileSync } from 'node:fs';
import type { CheckpointTensor } from '../checkpoint/checkpoint-format';

/** A tensor's name and shape, as a request to the Python side lists the tensors of a file. */
export interface TensorEntry {
  name: string;
  shape: number[];
}

/** Writes tensors back to back as raw float32 (the machine's order, little-endian on x86 and ARM) and lists them. */
export function writeTensorFile(path: string, tensors: readonly CheckpointTensor[]): TensorEntry[] {
  const flat = new Float32Array(tensors.reduce((sum, t) => sum + t.values.length, 0));
  let offset = 0;
  for (const t of tensors) {
    flat.set(t.values, offset);
    offset += t.values.length;
  }
  writeFileSync(path, new Uint8Array(flat.buffer));
  return tensors.map(({ name, shape }) => ({ name, shape }));
}

/** Reads a file of back-to-back float32 tensors as listed. */
export function readTensorFile(path: string, entries: readonly TensorEntry[]): CheckpointTensor[] {
  const bytes = readFileSync(path);
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  let offset = 0;
  return entries.map(({ name, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = floats.slice(offset, offset + size);
    offset += size;
    return { name, shape, values };
  });
}
