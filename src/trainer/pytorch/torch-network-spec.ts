import {
  NB201_EDGES,
  describeNb101Network,
  describeNb201Network,
  nb101Space,
  nb101VertexChannels,
  nb201Space,
  type NetworkLayer,
} from '../../core';
import { NB101_TRAINER_STACKS, parseTrainableArchitecture } from '../network/trainable-architecture';

/** Options of {@link describeTorchNetwork}: the architecture and the protocol's and dataset's sizes. */
export interface DescribeTorchNetworkOptions {
  /** A space the trainer builds (`nb201`, `nb101`). */
  space: string;
  /** Architecture text of that space. */
  arch: string;
  /** The protocol's C (NB201 first-stage channels, NB101 stem channels). */
  C: number;
  /** The protocol's N (cells per stage or stack). */
  N: number;
  numClasses: number;
  inputChannels: number;
  /** Height = width of the input images. */
  inputSize: number;
}

/** What the Python side builds a network from: core's layer list and the wiring the list does not say. */
export interface TorchNetworkSpec {
  /** Canonical architecture text (the checkpoint identity). */
  arch: string;
  /** Core's layer list: every conv, batch norm and linear, by name and size, in creation (initialisation) order. */
  layers: NetworkLayer[];
  /** The wiring, as the Python module's `NETWORKS` builders read it. */
  network: Record<string, unknown>;
}

/**
 * Describes an architecture's network for the PyTorch backend: core's layer list (the Python side builds every
 * parametrised layer from it, by name, and refuses a list that does not match its wiring) plus the cell's wiring:
 * NB201's edges with their ops, NB101's matrix, ops and per-cell vertex channels. INVALID_ARGUMENT for a space the
 * trainer does not build, INVALID_ARCHITECTURE for bad text.
 */
export function describeTorchNetwork(options: DescribeTorchNetworkOptions): TorchNetworkSpec {
  const { space, C, N, numClasses, inputChannels, inputSize } = options;
  const canonical = parseTrainableArchitecture(space, options.arch).arch;
  const common = { space, C, N, numClasses, inputChannels };
  if (space === nb201Space.name) {
    const arch = nb201Space.parse(canonical);
    return {
      arch: canonical,
      layers: describeNb201Network(arch, { C, N, numClasses, inputChannels, inputSize }),
      network: { ...common, edges: NB201_EDGES.map(([to, from], edge) => [to, from, arch[edge]]) },
    };
  }
  const arch = nb101Space.parse(canonical);
  const macro = {
    stemChannels: C,
    stacks: NB101_TRAINER_STACKS,
    cellsPerStack: N,
    numClasses,
    inputChannels,
    inputSize,
  };
  const layers = describeNb101Network(arch, macro);
  const vertexChannels: number[][][] = [];
  let channels = C;
  for (let stack = 0; stack < NB101_TRAINER_STACKS; stack++) {
    const out = stack > 0 ? channels * 2 : channels;
    const cells: number[][] = [];
    for (let cell = 0; cell < N; cell++) {
      cells.push(nb101VertexChannels(channels, out, arch.matrix));
      channels = out;
    }
    vertexChannels.push(cells);
  }
  return {
    arch: canonical,
    layers,
    network: { ...common, stacks: NB101_TRAINER_STACKS, matrix: arch.matrix, ops: arch.ops, vertexChannels },
  };
}
