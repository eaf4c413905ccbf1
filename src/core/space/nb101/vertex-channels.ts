import { invariant } from '../../error/invariant';
import { ErrorCode, NashubError } from '../../error/nashub-error';

/**
 * Output channels of every vertex of a pruned cell, NAS-Bench-101's `model_builder.compute_vertex_channels`: the
 * input has `inputChannels`, the output `outputChannels`; the vertices feeding the output split its channels evenly
 * (the first `outputChannels % k` of them, in vertex order, get one more), and every other interior vertex takes the
 * largest channel count among the interior vertices it feeds, going backwards. A cell of input and output only keeps
 * the two given counts. INVALID_ARGUMENT when there are fewer output channels than vertices feeding the output.
 */
export function nb101VertexChannels(
  inputChannels: number,
  outputChannels: number,
  matrix: readonly (readonly number[])[],
): number[] {
  const n = matrix.length;
  const channels = new Array<number>(n).fill(0);
  channels[0] = inputChannels;
  channels[n - 1] = outputChannels;
  if (n === 2) return channels;
  let fanIn = 0;
  for (let v = 1; v < n - 1; v++) fanIn += matrix[v][n - 1];
  invariant(fanIn > 0, 'a pruned nb101 cell with interior vertices feeds its output from one of them');
  if (outputChannels < fanIn) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `${outputChannels} channels cannot be split among ${fanIn} vertices`,
      {
        details: { space: 'nb101', field: 'stemChannels', value: outputChannels },
      },
    );
  }
  const share = Math.floor(outputChannels / fanIn);
  let correction = outputChannels % fanIn;
  for (let v = 1; v < n - 1; v++) {
    if (!matrix[v][n - 1]) continue;
    channels[v] = share;
    if (correction > 0) {
      channels[v]++;
      correction--;
    }
  }
  for (let v = n - 3; v > 0; v--) {
    if (matrix[v][n - 1]) continue;
    for (let to = v + 1; to < n - 1; to++) if (matrix[v][to]) channels[v] = Math.max(channels[v], channels[to]);
    invariant(channels[v] > 0, 'an interior nb101 vertex got no channels');
  }
  return channels;
}
