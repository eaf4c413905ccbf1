import type { Nb101Arch } from '../../src/core/space/nb101/cell';

/** NB101 op labels, short. */
export const C3 = 'conv3x3-bn-relu';
export const C1 = 'conv1x1-bn-relu';
export const MP = 'maxpool3x3';

/** The Inception-like cell of the NAS-Bench-101 README (hash 28cfc7874f6d200472e1a9dcd8650aa0, 2,694,282 params). */
export const INCEPTION: Nb101Arch = {
  matrix: [
    [0, 1, 1, 1, 0, 1, 0],
    [0, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 1, 0, 0],
    [0, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0, 0],
  ],
  ops: ['input', C1, C3, C3, C3, MP, 'output'],
};
