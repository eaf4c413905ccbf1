import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ErrorCode, NashubError, parseWithSchema } from '../core';
import type { Predictor } from '../predictor/surrogate/predictor';

const MAGIC = 'NHPW1';

/**
 * The JSON header of a weights blob. tfjs reads the topology and each weight spec itself (and throws on nonsense, which
 * becomes FILE_INVALID); the schema checks what we read: the weight byte count and the specs' names, shapes and dtype.
 */
const headerSchema = z.object({
  modelTopology: z.looseObject({}).nullable(),
  weightSpecs: z.array(z.looseObject({ name: z.string(), shape: z.array(z.number().int().min(0)), dtype: z.string() })),
  weightBytes: z.number().int().min(0),
});

/**
 * A predictor's weights as one blob for the `predictor.weights` column: MAGIC, a 4-byte header length, the JSON of
 * the tfjs artifacts without weights (topology, weight specs), then the weight bytes.
 */
export async function predictorToBytes(predictor: Predictor): Promise<Uint8Array> {
  let saved: tf.io.ModelArtifacts | null = null;
  await predictor.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const artifacts = saved as tf.io.ModelArtifacts | null;
  if (!artifacts) throw new Error(`the ${predictor.kind} predictor saved nothing`);
  const weights = artifacts.weightData
    ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
    : new Uint8Array(0);
  const header = new TextEncoder().encode(
    JSON.stringify({
      modelTopology: artifacts.modelTopology ?? null,
      weightSpecs: artifacts.weightSpecs ?? [],
      weightBytes: weights.byteLength,
    }),
  );
  const out = new Uint8Array(MAGIC.length + 4 + header.byteLength + weights.byteLength);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, header.byteLength, true);
  out.set(header, MAGIC.length + 4);
  out.set(weights, MAGIC.length + 4 + header.byteLength);
  return out;
}

/** Loads a blob of {@link predictorToBytes} into a predictor of the same kind and options; FILE_INVALID when corrupt. */
export async function predictorFromBytes(predictor: Predictor, bytes: Uint8Array, label: string): Promise<void> {
  const corrupt = (reason: string): NashubError =>
    new NashubError(ErrorCode.FILE_INVALID, `the weights of ${label} are corrupt: ${reason}`, {
      details: { predictor: label, reason },
    });
  if (bytes.byteLength < MAGIC.length + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC)
    throw corrupt('not a nashub predictor blob');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  const start = MAGIC.length + 4;
  if (start + headerLength > bytes.byteLength) throw corrupt('truncated header');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes.subarray(start, start + headerLength)));
  } catch (error) {
    throw corrupt(`unreadable header (${(error as Error).message})`);
  }
  const header = parseWithSchema(headerSchema, json, {
    code: ErrorCode.FILE_INVALID,
    what: `the weights header of ${label}`,
    details: { predictor: label },
  });
  const weightStart = start + headerLength;
  if (bytes.byteLength - weightStart !== header.weightBytes)
    throw corrupt(`expected ${header.weightBytes} weight bytes, found ${bytes.byteLength - weightStart}`);
  const weightData = bytes.slice(weightStart).buffer;
  try {
    await predictor.load(
      tf.io.fromMemory({
        modelTopology: header.modelTopology ?? undefined,
        weightSpecs: header.weightSpecs as tf.io.WeightsManifestEntry[],
        weightData,
      }),
    );
  } catch (error) {
    throw corrupt((error as Error).message);
  }
}
